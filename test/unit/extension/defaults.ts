// The settings' defaults as plain data (extension/config.ts imports vscode, so tests can't load it).
import type { SpectrumConfig } from '../../../extension/config';

export function defaultConfig(): SpectrumConfig {
  return {
    runtimePaths: { workerd: '', runc: '', runsc: '', qemu: '', firecracker: '' },
    defaultIsolation: 'container',
    stateDirectory: '',
    kernelPath: '',
    tearDownOnClose: true,
  };
}
