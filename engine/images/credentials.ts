// Registry credentials from the files Docker, Podman and skopeo write: `$REGISTRY_AUTH_FILE`
// first (containers-auth.json), then `~/.docker/config.json` (or `$DOCKER_CONFIG/config.json`).
// Only inline `auths` entries are read; credential helpers would run programs the user chose
// for Docker, so they are not run here.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DOCKER_HUB } from './reference';

export interface Credentials {
  username: string;
  password: string;
}

export function authFiles(env: NodeJS.ProcessEnv = process.env): string[] {
  const files: string[] = [];
  if (env.REGISTRY_AUTH_FILE) files.push(env.REGISTRY_AUTH_FILE);
  files.push(path.join(env.DOCKER_CONFIG || path.join(env.HOME || os.homedir(), '.docker'), 'config.json'));
  return files;
}

/** The keys an `auths` entry may use for a registry (Docker Hub has a historic URL). */
function keysFor(registry: string): string[] {
  if (registry === DOCKER_HUB) return ['https://index.docker.io/v1/', 'index.docker.io', 'docker.io', 'registry-1.docker.io'];
  return [registry, `https://${registry}`, `http://${registry}`, `https://${registry}/v1/`, `https://${registry}/v2/`];
}

export function findCredentials(registry: string, env: NodeJS.ProcessEnv = process.env): Credentials | undefined {
  for (const file of authFiles(env)) {
    let auths: Record<string, { auth?: string; username?: string; password?: string }> | undefined;
    try {
      auths = JSON.parse(readFileSync(file, 'utf8')).auths;
    } catch {
      continue;
    }
    if (!auths || typeof auths !== 'object') continue;
    for (const key of keysFor(registry)) {
      const entry = auths[key] ?? auths[key.replace(/\/$/, '')];
      if (!entry) continue;
      if (entry.username && entry.password) return { username: entry.username, password: entry.password };
      if (entry.auth) {
        const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
        const i = decoded.indexOf(':');
        if (i > 0) return { username: decoded.slice(0, i), password: decoded.slice(i + 1) };
      }
    }
  }
  return undefined;
}
