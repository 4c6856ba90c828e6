import type Database from 'better-sqlite3';

interface DeviceEntry {
  id: number;
  model: string;
}

/**
 * In-memory mirror of the devices, metrics and device_metrics tables, so the write path turns names
 * into integer ids without a query per sample. Entries added inside a transaction are journaled and
 * dropped again if it rolls back, so the cache never names a row the database does not have.
 */
export class Dictionary {
  private readonly devices = new Map<string, DeviceEntry>();
  private readonly deviceNames = new Map<number, string>();
  private readonly metrics = new Map<string, number>();
  private readonly metricNames = new Map<number, string>();
  private readonly series = new Map<number, Set<number>>();
  private undo: (() => void)[] = [];
  private readonly dataVersion: Database.Statement<[], number>;
  private seenVersion: number;
  private readonly db: Database.Database;

  private readonly upsertDevice: Database.Statement<[string, string], { id: number }>;
  private readonly setModel: Database.Statement<[string, number]>;
  private readonly upsertMetric: Database.Statement<[string], { id: number }>;
  private readonly linkSeries: Database.Statement<[number, number]>;

  constructor(db: Database.Database) {
    this.upsertDevice = db.prepare(
      `INSERT INTO devices (device_id, model) VALUES (?, ?)
       ON CONFLICT (device_id) DO UPDATE SET model = excluded.model RETURNING id`,
    );
    this.setModel = db.prepare('UPDATE devices SET model = ? WHERE id = ?');
    this.upsertMetric = db.prepare(
      'INSERT INTO metrics (name) VALUES (?) ON CONFLICT (name) DO UPDATE SET name = excluded.name RETURNING id',
    );
    this.linkSeries = db.prepare('INSERT OR IGNORE INTO device_metrics (device, metric) VALUES (?, ?)');
    this.db = db;
    this.dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck();
    this.seenVersion = this.dataVersion.get()!;
    this.load();
  }

  /**
   * Another process (an ingest worker beside the API) may have added devices or metrics to the same
   * file; SQLite's data_version moves when any other connection commits, and only then is the
   * mirror reloaded. Call before reads.
   */
  refreshIfChangedElsewhere(): void {
    const version = this.dataVersion.get()!;
    if (version === this.seenVersion) return;
    this.seenVersion = version;
    this.load();
  }

  private load(): void {
    const db = this.db;
    const devices = db.prepare('SELECT id, device_id, model FROM devices').all() as {
      id: number;
      device_id: string;
      model: string;
    }[];
    for (const row of devices) this.remember(row.device_id, row.id, row.model);
    for (const row of db.prepare('SELECT id, name FROM metrics').all() as { id: number; name: string }[]) {
      this.metrics.set(row.name, row.id);
      this.metricNames.set(row.id, row.name);
    }
    for (const row of db.prepare('SELECT device, metric FROM device_metrics').all() as {
      device: number;
      metric: number;
    }[]) {
      this.seriesSet(row.device).add(row.metric);
    }
  }

  /** Call at the start of every write transaction. */
  begin(): void {
    this.undo = [];
  }

  rollback(): void {
    for (const step of this.undo.reverse()) step();
    this.undo = [];
  }

  deviceFor(deviceId: string, model: string): number {
    const known = this.devices.get(deviceId);
    if (known) {
      if (known.model !== model) {
        const previous = known.model;
        this.setModel.run(model, known.id);
        known.model = model;
        this.undo.push(() => {
          known.model = previous;
        });
      }
      return known.id;
    }
    const { id } = this.upsertDevice.get(deviceId, model)!;
    this.remember(deviceId, id, model);
    this.undo.push(() => {
      this.devices.delete(deviceId);
      this.deviceNames.delete(id);
    });
    return id;
  }

  /**
   * The device's id, adding the device when it is new; unlike `deviceFor`, a known device keeps the
   * model its telemetry gave it (for records such as risks that carry a model of their own).
   */
  deviceIdFor(deviceId: string, model: string): number {
    return this.devices.get(deviceId)?.id ?? this.deviceFor(deviceId, model);
  }

  metricFor(name: string): number {
    const known = this.metrics.get(name);
    if (known !== undefined) return known;
    const { id } = this.upsertMetric.get(name)!;
    this.metrics.set(name, id);
    this.metricNames.set(id, name);
    this.undo.push(() => {
      this.metrics.delete(name);
      this.metricNames.delete(id);
    });
    return id;
  }

  link(device: number, metric: number): void {
    const set = this.seriesSet(device);
    if (set.has(metric)) return;
    this.linkSeries.run(device, metric);
    set.add(metric);
    this.undo.push(() => set.delete(metric));
  }

  deviceId(name: string): number | undefined {
    return this.devices.get(name)?.id;
  }

  deviceName(id: number): string {
    return this.deviceNames.get(id) ?? String(id);
  }

  deviceModel(name: string): string | undefined {
    return this.devices.get(name)?.model;
  }

  metricId(name: string): number | undefined {
    return this.metrics.get(name);
  }

  metricName(id: number): string {
    return this.metricNames.get(id) ?? String(id);
  }

  /** Metric ids a device has reported, ordered by metric name. */
  metricsOf(device: number): number[] {
    return [...(this.series.get(device) ?? [])].sort((a, b) =>
      this.metricName(a) < this.metricName(b) ? -1 : 1,
    );
  }

  allDevices(): number[] {
    return [...this.deviceNames.keys()];
  }

  private remember(deviceId: string, id: number, model: string): void {
    this.devices.set(deviceId, { id, model });
    this.deviceNames.set(id, deviceId);
  }

  private seriesSet(device: number): Set<number> {
    let set = this.series.get(device);
    if (!set) {
      set = new Set();
      this.series.set(device, set);
    }
    return set;
  }
}
