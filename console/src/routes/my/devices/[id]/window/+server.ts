/** The customer's device page zooms through the same endpoint; the API scopes it to their devices. */
export { GET } from '../../../../devices/[id]/window/+server.ts';
