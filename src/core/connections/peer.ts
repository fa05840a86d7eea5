/**
 * A connection as the core hands it messages: what the transport implements
 * and receives. (The delivery layer's own types, named here so that the
 * transport needs nothing from inside it.)
 */
export type { Delivered, SignalFrame } from '../delivery/delivered.js';
export type { Subscriber as Peer } from '../delivery/subscriber.js';
