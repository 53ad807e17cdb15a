// OCI configs are judged by ajv (draft-04, the draft the runtime-spec schemas are written in)
// against the runtime-spec's own schema files, vendored unchanged in schemas/vendor/. The files
// refer to each other by relative name, so each is registered under one base URI.
import Ajv04 from 'ajv-draft-04';
import type { ValidateFunction } from 'ajv';
import configFreebsd from '../../../schemas/vendor/oci-runtime-spec/config-freebsd.json';
import configLinux from '../../../schemas/vendor/oci-runtime-spec/config-linux.json';
import configSchema from '../../../schemas/vendor/oci-runtime-spec/config-schema.json';
import configSolaris from '../../../schemas/vendor/oci-runtime-spec/config-solaris.json';
import configVm from '../../../schemas/vendor/oci-runtime-spec/config-vm.json';
import configWindows from '../../../schemas/vendor/oci-runtime-spec/config-windows.json';
import configZos from '../../../schemas/vendor/oci-runtime-spec/config-zos.json';
import defs from '../../../schemas/vendor/oci-runtime-spec/defs.json';
import defsFreebsd from '../../../schemas/vendor/oci-runtime-spec/defs-freebsd.json';
import defsLinux from '../../../schemas/vendor/oci-runtime-spec/defs-linux.json';
import defsVm from '../../../schemas/vendor/oci-runtime-spec/defs-vm.json';
import defsWindows from '../../../schemas/vendor/oci-runtime-spec/defs-windows.json';
import defsZos from '../../../schemas/vendor/oci-runtime-spec/defs-zos.json';

const BASE = 'https://opencontainers.org/schema/';
export const OCI_SCHEMA_FILES: Record<string, object> = {
  'config-schema.json': configSchema,
  'config-linux.json': configLinux,
  'config-freebsd.json': configFreebsd,
  'config-solaris.json': configSolaris,
  'config-vm.json': configVm,
  'config-windows.json': configWindows,
  'config-zos.json': configZos,
  'defs.json': defs,
  'defs-linux.json': defsLinux,
  'defs-freebsd.json': defsFreebsd,
  'defs-vm.json': defsVm,
  'defs-windows.json': defsWindows,
  'defs-zos.json': defsZos,
};

let compiled: ValidateFunction | undefined;

export function ociValidator(): ValidateFunction {
  if (!compiled) {
    const ajv = new Ajv04({ allErrors: true, verbose: true, strict: false });
    for (const [name, schema] of Object.entries(OCI_SCHEMA_FILES)) ajv.addSchema(schema, BASE + name);
    compiled = ajv.getSchema(BASE + 'config-schema.json');
    if (!compiled) throw new Error('the vendored OCI config schema did not compile');
  }
  return compiled;
}
