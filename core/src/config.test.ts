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
      AFTERCARE_SIM_DEVICES: 200,
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

  it('reads numbers only as people write them, as the CLIs read the same variables', () => {
    expect(loadConfig({ AFTERCARE_HTTP_PORT: '3210' }).AFTERCARE_HTTP_PORT).toBe(3210);
    // Spaces, hex, exponents and fractions were read as 3210, 16, 1000 and a port of 80.5.
    expect(() => loadConfig({ AFTERCARE_HTTP_PORT: ' 3210' })).toThrow(
      /^AFTERCARE_HTTP_PORT: must be a port/,
    );
    expect(() => loadConfig({ AFTERCARE_HTTP_PORT: '0x10' })).toThrow(
      'AFTERCARE_HTTP_PORT: must be a port number (0–65535; 0 picks a free port) (got "0x10")',
    );
    expect(() => loadConfig({ AFTERCARE_RETENTION_DAYS: '1e3' })).toThrow(
      'AFTERCARE_RETENTION_DAYS: must be a positive whole number (got "1e3")',
    );
    expect(() => loadConfig({ AFTERCARE_MQTT_PORT: '80.5' })).toThrow(/^AFTERCARE_MQTT_PORT: must be a port/);
    expect(() => loadConfig({ AFTERCARE_SIM_SEED: '0x10' })).toThrow(/^AFTERCARE_SIM_SEED: must be a whole/);
  });

  it("takes the demo fleet's variables as the simulator takes its flags, in words", () => {
    expect(loadConfig({ AFTERCARE_SIM_INTERVAL_S: '0.5', AFTERCARE_SIM_SEED: '-7' })).toMatchObject({
      AFTERCARE_SIM_INTERVAL_S: 0.5,
      AFTERCARE_SIM_SEED: -7,
    });
    expect(() => loadConfig({ AFTERCARE_SIM_INTERVAL_S: '0.0001' })).toThrow(
      'AFTERCARE_SIM_INTERVAL_S: must be a number of seconds, at least 0.001 (got "0.0001")',
    );
    expect(() => loadConfig({ AFTERCARE_SIM_SEED: '99999999999' })).toThrow(
      'AFTERCARE_SIM_SEED: must be a whole number from -2147483648 to 4294967295 (got "99999999999")',
    );
    expect(() => loadConfig({ AFTERCARE_SIM_DEVICES: 'many' })).toThrow(
      'AFTERCARE_SIM_DEVICES: must be a whole number from 0 to 100000 (got "many")',
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

  // Regression: AFTERCARE_HTTP_PORT= (empty) listened on a random port, not the documented 3000.
  it('takes an empty or blank variable as unset, for every variable', () => {
    const config = loadConfig({
      AFTERCARE_HTTP_PORT: '',
      AFTERCARE_MQTT_PORT: ' ',
      AFTERCARE_HOST: '',
      AFTERCARE_DATA_DIR: '',
      AFTERCARE_SIM_DEVICES: '',
      AFTERCARE_SCORING_CRON: '',
      AFTERCARE_INGEST_SHARE_GROUP: '',
      AFTERCARE_LOG_LEVEL: '',
      AFTERCARE_PREDICTIVE_ROUTE_FILL: '',
      AFTERCARE_DEMO_PASSWORD: '',
    });
    expect(config).toMatchObject({
      AFTERCARE_HTTP_PORT: 3000,
      AFTERCARE_MQTT_PORT: 1883,
      AFTERCARE_HOST: '127.0.0.1',
      AFTERCARE_DATA_DIR: './data',
      AFTERCARE_SIM_DEVICES: 200,
      AFTERCARE_SCORING_CRON: '*/5 * * * *',
      AFTERCARE_INGEST_SHARE_GROUP: 'aftercare-ingest',
      AFTERCARE_LOG_LEVEL: 'info',
      AFTERCARE_PREDICTIVE_ROUTE_FILL: false,
    });
    expect(config.AFTERCARE_DEMO_PASSWORD).toBeUndefined();
  });

  it('takes an IP address or a host name to listen on and refuses anything else by name', () => {
    for (const host of [
      '127.0.0.1',
      '0.0.0.0',
      '::',
      '::1',
      'localhost',
      'aftercare.example.net',
      '10.255.255.1',
    ])
      expect(loadConfig({ AFTERCARE_HOST: host }).AFTERCARE_HOST).toBe(host);
    for (const host of ['not_a_host!', '999.1.1.1', 'http://localhost', '[::1]', 'a..b'])
      expect(() => loadConfig({ AFTERCARE_HOST: host })).toThrow(
        `AFTERCARE_HOST: must be an IP address or a host name, e.g. "127.0.0.1", "0.0.0.0" or "localhost" (got "${host}")`,
      );
  });

  // Regression: "localhost:8086" passed (a URL of scheme "localhost:") and failed deep in the client.
  it('takes only http(s) URLs for InfluxDB', () => {
    expect(loadConfig({ AFTERCARE_INFLUX_URL: 'https://influx.example.net:8086' }).AFTERCARE_INFLUX_URL).toBe(
      'https://influx.example.net:8086',
    );
    for (const url of ['localhost:8086', 'ftp://influx:8086', 'mqtt://influx:8086', 'http://'])
      expect(() => loadConfig({ AFTERCARE_INFLUX_URL: url })).toThrow(
        /^AFTERCARE_INFLUX_URL: must be an http:\/\/ or https:\/\/ URL.* \(value not shown\)$/,
      );
  });

  it('takes only MQTT, WebSocket and TCP/TLS URLs for an external broker', () => {
    for (const url of [
      'mqtt://127.0.0.1:1883',
      'mqtts://b:8883',
      'ws://b/mqtt',
      'wss://b/mqtt',
      'tcp://b',
      'ssl://b',
    ])
      expect(loadConfig({ AFTERCARE_MQTT_URL: url }).AFTERCARE_MQTT_URL).toBe(url);
    for (const url of ['ftp://127.0.0.1:21', 'http://b:1883', 'localhost:1883', 'mqtt://'])
      expect(() => loadConfig({ AFTERCARE_MQTT_URL: url })).toThrow(
        /^AFTERCARE_MQTT_URL: must be an mqtt:\/\//,
      );
  });

  // Regression: '99 * * * *' has 5 fields and passed; the scoring job refused it later without the name.
  it("refuses a scoring cron node-cron would refuse, naming the variable and node-cron's reason", () => {
    const checkCron = (expression: string) => {
      if (expression.startsWith('99')) throw new Error('99 is a invalid expression for minute');
    };
    expect(() => loadConfig({ AFTERCARE_SCORING_CRON: '99 * * * *' }, { checkCron })).toThrow(
      /^AFTERCARE_SCORING_CRON: 99 is a invalid expression for minute$/,
    );
    expect(loadConfig({ AFTERCARE_SCORING_CRON: '0 * * * *' }, { checkCron }).AFTERCARE_SCORING_CRON).toBe(
      '0 * * * *',
    );
    expect(() => loadConfig({ AFTERCARE_SCORING_CRON: '* * * *' }, { checkCron })).toThrow(
      /^AFTERCARE_SCORING_CRON: must be a cron expression of 5 or 6 fields/,
    );
  });
});
