/**
 * A gateway producer entered in its lecture's ledger like one the peer produced (so signaling,
 * consumers and recording treat it as that peer's camera or microphone), and forgotten when it
 * closes, whoever closes it: the gateway, its transport, the router or the worker.
 */
import type { LedgerProducer, MediaLedger } from '../MediaLedger.ts';

export function registerProducer(ledger: MediaLedger, entry: LedgerProducer): void {
  const { producer } = entry;
  ledger.producers.set(producer.id, entry);
  producer.observer.once('close', () => {
    if (ledger.producers.get(producer.id)?.producer === producer) ledger.forgetProducer(producer.id);
  });
}
