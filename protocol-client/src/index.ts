/** The one typed client of the Tongtang protocol: the web client, load-tests and tests all use it. */
export { SignalClient, ConnectionState, type SignalClientOptions, type ConnectOptions, type ConnectionChange, type RawAck, type RttSample } from './SignalClient.ts';
export { RequestError, errorCodeOf, type ClientErrorCode } from './RequestError.ts';
