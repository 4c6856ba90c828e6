import { describe, expect, it } from 'vitest';
import { brokerUrlSchemes, isUrlWith, schemeList, withoutCredentials } from './urls.ts';

describe('withoutCredentials', () => {
  it('drops the user and password before the host, with or without a scheme', () => {
    expect(withoutCredentials('mqtts://user:pa55@b.example:8883')).toBe('mqtts://b.example:8883');
    // Regression: written without a scheme, URL read "user:" as the scheme and the password stayed.
    expect(withoutCredentials('user:s3cret@broker:1883')).toBe('broker:1883');
  });

  it('leaves text without credentials as it was, an email address included', () => {
    expect(withoutCredentials('mqtt://127.0.0.1:1883')).toBe('mqtt://127.0.0.1:1883');
    expect(withoutCredentials('planner@example.com')).toBe('planner@example.com');
  });
});

describe('broker URLs', () => {
  it('take what MQTT.js connects with, naming a host', () => {
    expect(isUrlWith('tcp://127.0.0.1:1883', brokerUrlSchemes)).toBe(true);
    expect(isUrlWith('localhost:1883', brokerUrlSchemes)).toBe(false);
    expect(schemeList(['http', 'https'])).toBe('http:// or https://');
  });
});
