#!/usr/bin/env bash
# Shell-only host collector: prints a HostSnapshot (engine/host/snapshot.ts) as JSON on stdout,
# for machines without Node (it needs bash and python3 only). Doctor's pure checks then judge it,
# exactly as they judge the Node collector's snapshot. Usage: bash collect-host.sh > snapshot.json
set -euo pipefail
exec python3 - "$@" <<'PY'
import fcntl, glob, json, os, platform, re, shutil, subprocess, datetime

def read(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return None

def run(argv, timeout=10):
    try:
        r = subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
        return r.returncode, r.stdout + r.stderr
    except (OSError, subprocess.TimeoutExpired):
        return None, ''

def version(name, path):
    args = {'busybox': ['--help'], 'nvidia-smi': ['--version']}.get(name, ['--version'])
    _, out = run([path] + args, 5)
    first = next((l for l in out.splitlines() if l.strip()), '')
    if name == 'busybox':
        m = re.search(r'BusyBox v([\w.~+-]+)', out)
    elif name == 'qemu-system-x86_64':
        m = re.search(r'version ([\d.]+)', out)
    elif name == 'nvidia-smi':
        m = re.search(r'DRIVER version\s*:\s*([\d.]+)', out, re.I) or re.search(r'version\s*:?\s*([\d.]+)', out, re.I)
    else:
        m = re.search(r'version\s+v?([\w.~+-]+)', first, re.I) or re.search(r'v?(\d+\.\d+[\w.~+-]*)', first)
    return m.group(1) if m else None

path_dirs = os.environ.get('PATH', '').split(':') + ['/usr/local/sbin', '/usr/sbin', '/sbin']
binaries = {}
for name in ['runc', 'runsc', 'crun', 'busybox', 'qemu-system-x86_64', 'firecracker', 'nvidia-smi', 'bwrap', 'workerd']:
    p = shutil.which(name, path=':'.join(d for d in path_dirs if d))
    if p:
        binaries[name] = {'path': p, 'version': version(name, p)}

uid = os.getuid()
snap = {
    'collectedAt': datetime.datetime.now(datetime.timezone.utc).isoformat().replace('+00:00', 'Z'),
    'collector': 'shell',
    'arch': platform.machine(),
    'kernelRelease': platform.release(),
    'isRoot': uid == 0,
    'uid': uid,
    'binaries': binaries,
}

# cgroups: v1 controllers, cgroup2, or both (hybrid).
v1, v2 = False, None
for line in (read('/proc/self/mounts') or '').splitlines():
    parts = line.split(' ')
    if len(parts) > 2:
        if parts[2] == 'cgroup2' and v2 is None:
            v2 = parts[1]
        elif parts[2] == 'cgroup':
            v1 = True
snap['cgroup'] = {'layout': 'hybrid', 'unifiedPath': v2} if v1 and v2 else ({'layout': 'v2', 'unifiedPath': v2} if v2 else {'layout': 'v1' if v1 else 'none'})

clone = read('/proc/sys/kernel/unprivileged_userns_clone')
maxns = read('/proc/sys/user/max_user_namespaces')
if clone is not None and clone.strip() == '0':
    snap['userns'] = False
elif maxns is not None:
    snap['userns'] = int(maxns.strip() or 0) > 0

if 'runsc' in binaries:
    _, out = run([binaries['runsc']['path'], 'flags'], 5)
    line = re.search(r'-platform[^\n]*\n\s*([^\n]*)', out)
    named = re.search(r'use:\s*([^.]*)', re.sub(r'\([^)]*\)', '', line.group(1))) if line else None
    platforms = [s.strip() for s in (named.group(1).split(',') if named else []) if re.fullmatch(r'[a-z]+', s.strip())] or ['ptrace']
    snap['runsc'] = {'platforms': platforms, 'nvproxy': bool(re.search(r'-nvproxy\b', out)), 'ociSeccomp': bool(re.search(r'-oci-seccomp\b', out))}

# KVM: the device, access, CPU flags, modules, and a real KVM_GET_API_VERSION ioctl.
cpuinfo = read('/proc/cpuinfo') or ''
mods = read('/proc/modules')
modules = sorted(l.split(' ')[0] for l in mods.splitlines() if l.startswith('kvm')) if mods is not None else sorted(m for m in (os.listdir('/sys/module') if os.path.isdir('/sys/module') else []) if m.startswith('kvm'))
kvm = {'device': os.path.exists('/dev/kvm'), 'accessible': os.access('/dev/kvm', os.R_OK | os.W_OK), 'cpuFlags': bool(re.search(r'^flags\s*:.*\b(vmx|svm)\b', cpuinfo, re.M)), 'modules': modules}
if kvm['accessible']:
    try:
        fd = os.open('/dev/kvm', os.O_RDWR)
        try:
            kvm['apiVersion'] = fcntl.ioctl(fd, 0xAE00)  # KVM_GET_API_VERSION
        finally:
            os.close(fd)
    except OSError:
        pass
snap['kvm'] = kvm
m = re.search(r'^cpu MHz\s*:\s*([\d.]+)', cpuinfo, re.M)
if m:
    snap['cpuMhz'] = float(m.group(1))

# GPUs: NVIDIA device nodes, PCI display controllers, driver version, nvidia-smi -L.
gpus = {'nvidiaDevices': sorted('/dev/' + n for n in os.listdir('/dev') if n.startswith('nvidia')), 'pci': []}
for dev in sorted(glob.glob('/sys/bus/pci/devices/*')):
    cls = (read(dev + '/class') or '').strip()
    if cls.startswith('0x03'):
        vendor = (read(dev + '/vendor') or '?').strip().replace('0x', '')
        device = (read(dev + '/device') or '?').strip().replace('0x', '')
        gpus['pci'].append('%s %s:%s' % (os.path.basename(dev), vendor, device))
drv = re.search(r'Kernel Module\s+(?:for \S+\s+)?([\d.]+)', read('/proc/driver/nvidia/version') or '')
if drv:
    gpus['driverVersion'] = drv.group(1)
if 'nvidia-smi' in binaries:
    code, out = run([binaries['nvidia-smi']['path'], '-L'], 20)
    if code == 0:
        gpus['nvidiaSmi'] = [l.strip() for l in out.splitlines() if re.match(r'GPU \d+:', l.strip())]
snap['gpus'] = gpus
snap['iommuGroups'] = len(os.listdir('/sys/kernel/iommu_groups')) if os.path.isdir('/sys/kernel/iommu_groups') else 0

print(json.dumps(snap, indent=2))
PY
