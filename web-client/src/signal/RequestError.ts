/** The one RequestError, from the shared protocol client (protocol-client/). */
export { RequestError, errorCodeOf, type ClientErrorCode } from '../../../protocol-client/src/index.ts';
