export { requireBinary } from './binaries.ts';
export { type InfluxdOptions, influxdPath, type RunningInfluxd, startInfluxd } from './influxd.ts';
export { type MosquittoOptions, mosquittoPath, type RunningMosquitto, startMosquitto } from './mosquitto.ts';
export { canConnect, freePort } from './ports.ts';
