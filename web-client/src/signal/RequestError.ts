/** The one RequestError, from the shared protocol client (protocol-client/). */
export { RequestError, errorCodeOf, type ClientErrorCode } from '@tongtang/protocol-client';
