// A sandbox spec (microvm or vm level) as a VM launch request, and a Firecracker config file as
// a sandbox spec, so `spectrum up vm_config.json` goes through the same engine path.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { EngineError } from '../errors';
import type { SandboxSpec } from '../spec/types';
import { DEFAULT_GUEST_MEMORY_MIB, type VmLaunchRequest } from './vm-launch';
import { checkedFirecrackerConfig, FirecrackerConfigError, loadFirecrackerConfig, translateFirecrackerConfig, type Unhonoured } from './firecracker-config';

export interface SpecRequest {
  request: VmLaunchRequest;
  /** Firecracker config fields the QEMU launch does not honour. */
  unhonoured: Unhonoured[];
}

export function vmRequestFromSpec(spec: SandboxSpec): SpecRequest {
  if (spec.firecrackerConfig) {
    // The content checked when the spec was made (a spec from an older record: the file).
    const cfg = spec.firecrackerConfigContent ? checkedFirecrackerConfig(spec.firecrackerConfig, spec.firecrackerConfigContent) : loadFirecrackerConfig(spec.firecrackerConfig);
    const t = translateFirecrackerConfig(cfg, path.dirname(spec.firecrackerConfig), spec.command);
    return { request: { ...t.request, env: spec.env, mounts: spec.mounts } , unhonoured: t.unhonoured };
  }
  const request: VmLaunchRequest = {
    machine: spec.isolation === 'vm' ? 'q35' : 'microvm',
    kernel: spec.kernel,
    // Without a command the guest runs a shell on its serial console (reach it through the
    // console socket) and stays up until `down`.
    command: spec.command?.length ? spec.command : ['/bin/sh'],
    env: spec.env,
    image: spec.image,
    readonly: spec.readonly,
    mounts: spec.mounts,
    cpus: spec.resources.cpus ?? 1,
    memoryMiB: spec.resources.memoryBytes ? Math.floor(spec.resources.memoryBytes / (1024 * 1024)) : DEFAULT_GUEST_MEMORY_MIB,
    network: spec.network,
    devices: spec.devices,
    drives: [],
    bootArgs: [],
  };
  return { request, unhonoured: [] };
}

export interface FirecrackerLaunch {
  spec: SandboxSpec;
  /** What the QEMU translation would not carry over (shown as warnings; Firecracker honours all). */
  unhonoured: Unhonoured[];
}

/**
 * The engine's entry for a Firecracker `--config-file`: a microvm spec that keeps the file's path,
 * so the Firecracker driver passes it unchanged and the QEMU driver translates it. Throws
 * FirecrackerConfigError (naming each bad field) for an invalid config.
 */
export function specFromFirecrackerConfig(file: string, opts: { name?: string; command?: string[] } = {}): FirecrackerLaunch {
  const abs = path.resolve(file);
  const cfg = loadFirecrackerConfig(abs);
  const t = translateFirecrackerConfig(cfg, path.dirname(abs), opts.command);
  const base = path.basename(abs).replace(/\.json$/i, '').replace(/[^A-Za-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').toLowerCase();
  const spec: SandboxSpec = {
    name: opts.name ?? (base || 'firecracker'),
    isolation: 'microvm',
    command: opts.command,
    env: {},
    mounts: [],
    resources: { cpus: t.request.cpus, memoryBytes: t.request.memoryMiB * 1024 * 1024 },
    network: t.request.network,
    readonly: false,
    container: { runtime: 'runc' },
    gvisor: { platform: 'auto' },
    kernel: t.request.kernel,
    microvm: { vmm: 'auto' },
    devices: [],
    gpu: 'none',
    source: { file: abs, document: 0 },
    firecrackerConfig: abs,
    firecrackerConfigContent: cfg as unknown as Record<string, unknown>,
  };
  return { spec, unhonoured: t.unhonoured };
}

/** A `.json` file whose top level has `boot-source`: a Firecracker config, not an OCI bundle or spec. */
export function isFirecrackerConfigFile(file: string): boolean {
  if (!file.toLowerCase().endsWith('.json')) return false;
  try {
    const raw = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return typeof raw === 'object' && raw !== null && 'boot-source' in raw;
  } catch {
    return false;
  }
}

/**
 * For the engine's spec loading (`spectrum up vm_config.json`): the config as one microvm spec;
 * an invalid config is an EngineError naming every bad field. Unhonoured fields travel to the
 * QEMU driver, which lists them in inspect (extra.unhonoured).
 */
export function firecrackerSpecs(file: string, name?: string): SandboxSpec[] {
  try {
    return [specFromFirecrackerConfig(file, { name }).spec];
  } catch (e) {
    if (e instanceof FirecrackerConfigError) throw new EngineError(e.message, [], 'fix the named fields (Firecracker itself refuses unknown fields too)');
    throw e;
  }
}
