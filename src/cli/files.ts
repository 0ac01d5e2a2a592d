import { promises as fs } from 'node:fs';
import path from 'node:path';
import { isContainerfileName } from '../core/containerfileNames';

const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git', '.hg', '.svn', 'dist', 'out', '.cache', '.vscode-test']);

export interface InputFile {
  readonly path: string;
  /** Named on the command line (lint it whatever it looks like) rather than found in a directory. */
  readonly explicit: boolean;
}

/** Expands directories into the Containerfiles under them, sorted, skipping dependency and VCS folders. */
export async function collectInputFiles(inputs: readonly string[]): Promise<{ files: InputFile[]; errors: string[] }> {
  const files: InputFile[] = [];
  const errors: string[] = [];
  for (const input of inputs) {
    let stat;
    try {
      stat = await fs.stat(input);
    } catch (error) {
      errors.push(`${input}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : String(error)}`);
      continue;
    }
    if (stat.isDirectory()) {
      for (const found of await walk(input)) files.push({ path: found, explicit: false });
    } else {
      files.push({ path: input, explicit: true });
    }
  }
  return { files, errors };
}

async function walk(directory: string): Promise<string[]> {
  const found: string[] = [];
  const entries = await fs.readdir(directory, { withFileTypes: true });
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRECTORIES.has(entry.name)) found.push(...(await walk(full)));
    } else if (entry.isFile() && isContainerfileName(entry.name)) {
      found.push(full);
    }
  }
  return found;
}
