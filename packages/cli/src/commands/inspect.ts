import type { Command } from 'commander';
import { formatInspectReport, inspectTFRecord, type InspectReport } from '@ffem/data';

/** `ffem inspect`: records, bytes, feature keys and types, label range and CRC status of TFRecord files. */
export function register(program: Command): void {
  program
    .command('inspect')
    .description('show records, bytes, feature keys and types, label range and CRC status of TFRecord files')
    .argument('<files...>', 'TFRecord files (.gz: GZIP, .zlib: ZLIB)')
    .option('--json', 'print one JSON document instead of text', false)
    .action(async (files: string[], o: { json: boolean }) => {
      const reports: InspectReport[] = [];
      for (const f of files) {
        const r = await inspectTFRecord(f);
        reports.push(r);
        if (!o.json) process.stdout.write(formatInspectReport(r));
      }
      if (o.json) process.stdout.write(JSON.stringify(files.length === 1 ? reports[0] : reports, null, 2) + '\n');
      const bad = reports.filter((r) => !r.crc.ok);
      if (bad.length) {
        const n = bad.reduce((a, r) => a + r.crc.corrupt, 0);
        throw new Error(`${n} corrupt record(s) in ${bad.length} file(s); first: ${bad[0].crc.errors[0]}`);
      }
    });
}
