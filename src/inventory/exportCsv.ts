// The device list with clearance status as CSV, safe to open in a spreadsheet: every cell that
// could start a formula is neutralised.
import { neutralise } from './validate.ts';

export interface ExportableDevice {
  hostname?: string;
  assetTag?: string;
  ip?: string;
  mac?: string;
  osCaption?: string;
  osVersion?: string;
  servicePack?: string;
  osLabel: string;
  location?: string;
  owner?: string;
  deviceClass?: string;
  status: string;
}

const headings: [keyof ExportableDevice, string][] = [
  ['hostname', 'Hostname'],
  ['assetTag', 'Asset tag'],
  ['ip', 'IP address'],
  ['mac', 'MAC address'],
  ['osCaption', 'Operating system'],
  ['osVersion', 'Version'],
  ['servicePack', 'Service pack'],
  ['osLabel', 'Recognised as'],
  ['location', 'Location'],
  ['owner', 'Owner'],
  ['deviceClass', 'Device class'],
  ['status', 'Clearance status'],
];

function cell(value: string | undefined): string {
  return `"${neutralise(value ?? '').replace(/"/g, '""')}"`;
}

export function devicesToCsv(devices: Iterable<ExportableDevice>): string {
  const lines = [headings.map(([, label]) => cell(label)).join(',')];
  for (const device of devices) lines.push(headings.map(([key]) => cell(device[key])).join(','));
  // A byte-order mark so spreadsheets read UTF-8 names correctly.
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
