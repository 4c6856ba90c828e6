import path from 'node:path';
import { diskLoadHandler, SavedModelError } from '../model-io.ts';

/**
 * Why the model files of a saved version would not load, or null when they would: model.json must
 * parse and every weights file its manifest lists must be there with the bytes the manifest implies.
 * It reads them through the handler scoring loads with, so the two cannot disagree, but builds no
 * model: no backend, no tensors, only file reads.
 */
export async function modelFilesProblem(dir: string): Promise<string | null> {
  try {
    await diskLoadHandler(dir).load!();
    return null;
  } catch (err) {
    if (err instanceof SavedModelError) return err.message;
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') return `${e.path ?? dir} is missing`;
    if (e.code) return `${e.path ?? dir}: cannot be read (${e.code})`;
    // A hand-edited manifest whose groups lack `paths` or `weights` trips the handler with a TypeError.
    return `${path.join(dir, 'model.json')}: weights manifest is not what tfjs writes (${e.message})`;
  }
}
