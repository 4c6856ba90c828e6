export { buildBroker } from './broker.ts';
export type {
  Broker,
  BrokerDeps,
  BrokerEvents,
  BrokerOptions,
  PublishOptions,
  Refusal,
} from './broker-api.ts';
export { defaultMaxPacketBytes } from './broker-api.ts';
export { BrokerRefusalError, BrokerStateError, type RefusalReason, refusalReasons } from './errors.ts';
export { type BrokerAddresses, type TlsPem, websocketPath } from './listeners.ts';
export type { DeviceCredentials, InterceptedPublish, PublishInterceptor, ServiceAccount } from './ports.ts';
