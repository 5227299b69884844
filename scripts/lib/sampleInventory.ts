// A realistic synthetic inventory of an NHS trust's Windows estate in May 2017, as an SCCM
// export might give it: for the benchmark and the browser tests (never shipped in the app).

const systems: [caption: string, version: string, servicePack: string, weight: number][] = [
  ['Microsoft Windows 7 Enterprise', '6.1.7601', 'Service Pack 1', 55],
  ['Microsoft Windows 7 Professional', '6.1.7601', 'Service Pack 1', 10],
  ['Microsoft Windows 10 Enterprise', '10.0.14393', '', 8],
  ['Microsoft Windows XP Professional', '5.1.2600', 'Service Pack 3', 5],
  ['Microsoft Windows Server 2008 R2 Standard', '6.1.7601', 'Service Pack 1', 6],
  ['Microsoft Windows Server 2012 R2 Standard', '6.3.9600', '', 6],
  ['Microsoft Windows 8.1 Enterprise', '6.3.9600', '', 3],
  ['Microsoft(R) Windows(R) Server 2003, Standard Edition', '5.2.3790', 'Service Pack 2', 2],
  ['Windows Embedded Standard 7', '6.1.7601', 'Service Pack 1', 3],
  ['Microsoft Windows 10 Pro', '', '', 2],
];
const wards = [
  'Ward 1',
  'Ward 2',
  'Ward 3',
  'Pharmacy',
  'Radiology',
  'Pathology',
  'ED',
  'Outpatients',
  'Theatres',
  'Estates',
  'Finance',
  'IT',
];
const owners = [
  'Clinical Systems',
  'Estates',
  'Finance',
  'Radiology',
  'Pathology',
  'Nursing',
  'IT Services',
];
const classes = ['Desktop', 'Laptop', 'Server', 'Medical device', 'Thin client'];

function pick<T>(items: readonly T[], n: number): T {
  const item = items[n % items.length];
  if (item === undefined) throw new Error('empty list');
  return item;
}

export function sampleInventoryCsv(count: number, options: { delimiter?: string } = {}): string {
  const d = options.delimiter ?? ',';
  const total = systems.reduce((n, s) => n + s[3], 0);
  const lines = [
    [
      'Computer Name',
      'Asset Tag',
      'IP Address',
      'MAC Address',
      'Operating System',
      'OS Version',
      'Service Pack',
      'Location',
      'Owner',
      'Chassis',
    ].join(d),
  ];
  for (let i = 0; i < count; i++) {
    let w = (i * 7919) % total;
    let system = systems[0];
    for (const s of systems) {
      if (w < s[3]) {
        system = s;
        break;
      }
      w -= s[3];
    }
    const [caption, version, sp] = system ?? ['', '', ''];
    const n = String(i + 1).padStart(5, '0');
    const ip = `10.${String(20 + ((i >> 16) & 255))}.${String((i >> 8) & 255)}.${String(i & 255)}`;
    const mac =
      `00:1A:2B:${((i >> 16) & 255).toString(16).padStart(2, '0')}:${((i >> 8) & 255).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`.toUpperCase();
    const location = `"${pick(wards, i)}, room ${String((i % 40) + 1)}"`;
    lines.push(
      [
        `NHS-PC-${n}`,
        `A${n}`,
        ip,
        mac,
        `"${caption}"`,
        version,
        sp,
        location,
        pick(owners, i),
        pick(classes, i),
      ].join(d),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
