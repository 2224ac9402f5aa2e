/**
 * The Hono environment of the relay's app: Node's bindings, and what the access checks found.
 */
import type { HttpBindings } from '@hono/node-server';
import type { Hono } from 'hono';
import type { SubscriberGrant } from '../access/tokens.js';

export interface RelayEnv {
  Bindings: HttpBindings;
  Variables: {
    /** The subscriber's scope and token lifetime, set by the subscriber authentication. */
    grant: SubscriberGrant;
  };
}

export type RelayApp = Hono<RelayEnv>;
