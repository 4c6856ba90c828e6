import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('gives the documented defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      AFTERCARE_DATA_DIR: './data',
      AFTERCARE_HTTP_PORT: 3000,
      AFTERCARE_MQTT_PORT: 1883,
      AFTERCARE_INFLUX_DB: 'aftercare',
      AFTERCARE_SIM_DEVICES: 50,
    });
    expect(config.AFTERCARE_MQTT_URL).toBeUndefined();
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('names the bad variable and the value it got in one line', () => {
    expect(() => loadConfig({ AFTERCARE_HTTP_PORT: 'eighty' })).toThrow(
      /^AFTERCARE_HTTP_PORT: .*\(got "eighty"\)$/,
    );
    expect(() => loadConfig({ AFTERCARE_MQTT_URL: 'not a url' })).toThrow(/^AFTERCARE_MQTT_URL/);
    expect(() => loadConfig({ AFTERCARE_ADMIN_TOKEN: 'short' })).toThrow(
      /^AFTERCARE_ADMIN_TOKEN: must be at least 16/,
    );
  });

  it('never echoes a secret it refuses', () => {
    expect(() => loadConfig({ AFTERCARE_ADMIN_TOKEN: 'hunter2' })).toThrow(/value not shown/);
    expect(() => loadConfig({ AFTERCARE_ADMIN_TOKEN: 'hunter2' })).not.toThrow(/hunter2/);
    expect(() => loadConfig({ AFTERCARE_INFLUX_URL: 'http//user:pw@x' })).not.toThrow(/pw/);
  });

  it('treats empty values as unset', () => {
    expect(
      loadConfig({ AFTERCARE_INFLUX_URL: '', AFTERCARE_ADMIN_TOKEN: '' }).AFTERCARE_INFLUX_URL,
    ).toBeUndefined();
  });

  it('requires TLS certificate and key together', () => {
    expect(() => loadConfig({ AFTERCARE_TLS_CERT: '/tmp/cert.pem' })).toThrow(/AFTERCARE_TLS_KEY/);
  });

  it('ignores variables that are not ours', () => {
    expect(() => loadConfig({ PATH: '/usr/bin', HOME: '/root' })).not.toThrow();
  });

  it('takes a known IANA time zone for the console and refuses anything else by name', () => {
    expect(loadConfig({ AFTERCARE_TIMEZONE: 'Asia/Kolkata' }).AFTERCARE_TIMEZONE).toBe('Asia/Kolkata');
    expect(loadConfig({}).AFTERCARE_TIMEZONE).toBeUndefined();
    expect(loadConfig({ AFTERCARE_TIMEZONE: '' }).AFTERCARE_TIMEZONE).toBeUndefined();
    expect(() => loadConfig({ AFTERCARE_TIMEZONE: 'India/Chennai' })).toThrow(
      /^AFTERCARE_TIMEZONE: must be an IANA time zone .*\(got "India\/Chennai"\)$/,
    );
  });

  it('books non-urgent predictive work at once unless told to leave it for the route fill', () => {
    expect(loadConfig({}).AFTERCARE_PREDICTIVE_ROUTE_FILL).toBe(false);
    expect(loadConfig({ AFTERCARE_PREDICTIVE_ROUTE_FILL: 'true' }).AFTERCARE_PREDICTIVE_ROUTE_FILL).toBe(
      true,
    );
    expect(() => loadConfig({ AFTERCARE_PREDICTIVE_ROUTE_FILL: 'yes' })).toThrow(
      /^AFTERCARE_PREDICTIVE_ROUTE_FILL: must be "true" or "false" \(got "yes"\)$/,
    );
  });
});
