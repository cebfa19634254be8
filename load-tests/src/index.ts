/**
 * What the load-test tool shares with tests/ (`@tongtang/load-tests`): the one way to start a
 * node, throwaway Redis processes, the network-conditions harness, the load test itself and the
 * glass-to-glass clock pages. tests/ reaches load-tests only through this file.
 */
export { startNode, type StartNodeOptions, type StartedNode } from './node/startNode.ts';
export { freePort, killStarted, RedisProcess } from './cluster/processes.ts';
export { applyProfileToNetns, mediaServerUdpPorts, udpListenPorts, type NamespaceEnds, type NetnsConditions } from './net/netns.ts';
export { PROFILES, type NetworkProfile } from './net/profiles.ts';
export { parseOptions, type LoadTestOptions } from './cli/options.ts';
export { runLoadTest, type RunResult } from './cli/run.ts';
export { CLOCK_RECEIVER, CLOCK_SENDER_WITH_SELF_VIEW, RECORD_PEER_CONNECTIONS } from './latency/clockScripts.ts';
