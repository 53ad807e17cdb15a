// Sandbox monitor process entry (owns one runtime process). Implemented by the engine work.
process.stderr.write('spectrum monitor: not built yet\n');
process.exitCode = 125;
