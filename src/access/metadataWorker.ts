/**
 * Worker-thread entry: takes chunks of metadata files from the counter it shares with the main thread, posts
 * each chunk's plain ParsedFile objects back (structured clone) as `{ start, results }`, then `{ done: true }`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { parseSharedChunks, type MetadataFile, type ParsedFile } from './metadataFile.js';

export type WorkerInput = { files: MetadataFile[]; next: Int32Array; chunkSize: number };
export type WorkerMessage = { start: number; results: ParsedFile[] } | { done: true };

const { files, next, chunkSize } = workerData as WorkerInput;
parseSharedChunks(files, next, chunkSize, (start, results) => parentPort?.postMessage({ start, results } satisfies WorkerMessage));
parentPort?.postMessage({ done: true } satisfies WorkerMessage);
