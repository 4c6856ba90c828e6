import type { Logger } from '@aftercare/core';
import { type InfluxHttp, InfluxStatementError, toStoreError } from './influx-http.ts';
import { identifier } from './influxql.ts';

export const retentionPolicyName = 'aftercare_raw';

/**
 * Creates the `aftercare_raw` retention policy with the configured duration as the database's
 * default, or alters it when an earlier run left another duration. Returns the policy to write to,
 * or undefined when the server does not manage policies through InfluxQL (2.x/3.x map a DBRP
 * instead) and writes go to its default.
 */
export async function ensureRetentionPolicy(
  http: InfluxHttp,
  database: string,
  retentionDays: number,
  log: Logger,
): Promise<string | undefined> {
  const on = `${identifier(retentionPolicyName)} ON ${identifier(database)}`;
  const duration = `${retentionDays}d`;
  try {
    const [series] = await http.query(`SHOW RETENTION POLICIES ON ${identifier(database)}`);
    const column = (name: string) => series?.columns.indexOf(name) ?? -1;
    const row = series?.values.find((r) => r[column('name')] === retentionPolicyName);
    if (!row) {
      await http.query(`CREATE RETENTION POLICY ${on} DURATION ${duration} REPLICATION 1 DEFAULT`);
      log.info({ database, duration }, 'created retention policy');
    } else if (row[column('duration')] !== `${retentionDays * 24}h0m0s` || row[column('default')] !== true) {
      await http.query(`ALTER RETENTION POLICY ${on} DURATION ${duration} DEFAULT`);
      log.info({ database, duration, was: row[column('duration')] }, 'altered retention policy');
    }
    return retentionPolicyName;
  } catch (err) {
    if (!(err instanceof InfluxStatementError)) throw toStoreError(err, 'init');
    log.warn({ err: err.message }, 'could not manage the retention policy; writing to the default one');
    return undefined;
  }
}
