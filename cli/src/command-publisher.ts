import type { Broker } from '@aftercare/broker';
import { deviceCommandSchema, topics } from '@aftercare/core';
import type { CommandPublisher } from '@aftercare/service';
import type { MqttClient } from 'mqtt';

/*
 * The service's CommandPublisher over MQTT: the embedded broker's own downlink (no login, no ACL: it
 * is the platform), or a client of an external broker whose login may write `aftercare/+/commands`.
 * Devices themselves may only subscribe to their own commands topic (the broker's ACL).
 */

/** Through the embedded aedes broker, QoS 1: a device away on a persistent session gets it on return. */
export function brokerCommandPublisher(broker: Broker): CommandPublisher {
  return {
    async publish(deviceId, command) {
      const payload = JSON.stringify(deviceCommandSchema.parse(command));
      await broker.publish(topics.commands(deviceId), payload, { qos: 1 });
    },
  };
}

/** Through a connected MQTT client of an external broker, QoS 1. */
export function mqttCommandPublisher(client: MqttClient): CommandPublisher {
  return {
    async publish(deviceId, command) {
      const payload = JSON.stringify(deviceCommandSchema.parse(command));
      await client.publishAsync(topics.commands(deviceId), payload, { qos: 1 });
    },
  };
}
