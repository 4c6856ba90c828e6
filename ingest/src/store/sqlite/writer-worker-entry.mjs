// Plain JavaScript so a worker thread can start without a TypeScript loader, then loads the real
// (TypeScript) writer through tsx, as the rest of the platform is run.
import { register } from 'tsx/esm/api';

register();
await import('./writer-worker.ts');
