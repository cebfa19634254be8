/** The page's signaling connection is the shared protocol client (protocol-client/); kept here so views import one place. */
export { SignalClient, ConnectionState, type SignalClientOptions, type ConnectionChange, type RawAck } from '@tongtang/protocol-client';
