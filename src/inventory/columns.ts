// The inventory columns Reconnect understands, and guessing which CSV heading is which from
// the names common exports use (SCCM, WSUS, Active Directory, asset registers, network scans).

export const inventoryColumns = [
  'hostname',
  'assetTag',
  'ip',
  'mac',
  'os',
  'version',
  'servicePack',
  'location',
  'owner',
  'deviceClass',
] as const;
export type InventoryColumn = (typeof inventoryColumns)[number];

export const columnLabels: Record<InventoryColumn, string> = {
  hostname: 'Hostname',
  assetTag: 'Asset tag',
  ip: 'IP address',
  mac: 'MAC address',
  os: 'Operating system',
  version: 'OS version or build',
  servicePack: 'Service pack',
  location: 'Location',
  owner: 'Owner',
  deviceClass: 'Device class',
};

/** Headings, normalised (lower case, letters and digits only), that name each column. */
const synonyms: Record<InventoryColumn, string[]> = {
  hostname: [
    'hostname',
    'host',
    'computername',
    'computer',
    'devicename',
    'device',
    'machinename',
    'machine',
    'netbiosname',
    'dnsname',
    'dnshostname',
    'name',
    'systemname',
    'node',
  ],
  assetTag: [
    'assettag',
    'asset',
    'assetno',
    'assetnumber',
    'assetid',
    'assettagnumber',
    'tag',
    'inventorynumber',
    'inventoryno',
  ],
  ip: ['ip', 'ipaddress', 'ipaddresses', 'ipv4', 'ipv4address', 'address'],
  mac: ['mac', 'macaddress', 'macaddresses', 'physicaladdress'],
  os: [
    'os',
    'operatingsystem',
    'oscaption',
    'caption',
    'osname',
    'operatingsystemname',
    'osproduct',
    'platform',
  ],
  version: [
    'version',
    'osversion',
    'build',
    'osbuild',
    'buildnumber',
    'operatingsystemversion',
    'osbuildnumber',
    'kernelversion',
  ],
  servicePack: [
    'servicepack',
    'sp',
    'csdversion',
    'operatingsystemservicepack',
    'osservicepack',
    'servicepackversion',
  ],
  location: [
    'location',
    'site',
    'ward',
    'room',
    'building',
    'department',
    'physicallocation',
    'officelocation',
  ],
  owner: [
    'owner',
    'businessowner',
    'assetowner',
    'primaryuser',
    'user',
    'assignedto',
    'custodian',
    'responsible',
  ],
  deviceClass: [
    'class',
    'deviceclass',
    'type',
    'devicetype',
    'category',
    'chassis',
    'chassistype',
    'formfactor',
    'model',
  ],
};

export function normaliseHeading(heading: string): string {
  return heading
    .replace(/^\uFEFF/, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/** For each column, the index of the heading that names it, or null. Each heading used once. */
export type ColumnMapping = Record<InventoryColumn, number | null>;

export function detectMapping(headings: readonly string[]): ColumnMapping {
  const normalised = headings.map(normaliseHeading);
  const mapping = Object.fromEntries(inventoryColumns.map((c) => [c, null])) as ColumnMapping;
  const used = new Set<number>();
  // Exact synonym matches first, in the order the synonyms are listed (most specific first).
  for (const column of inventoryColumns) {
    for (const synonym of synonyms[column]) {
      const index = normalised.findIndex((h, i) => h === synonym && !used.has(i));
      if (index >= 0) {
        mapping[column] = index;
        used.add(index);
        break;
      }
    }
  }
  // Then headings that contain a distinctive synonym ("Primary IP Address", "OS Build No").
  for (const column of inventoryColumns) {
    if (mapping[column] !== null) continue;
    const index = normalised.findIndex(
      (h, i) => !used.has(i) && synonyms[column].some((s) => s.length >= 4 && h.includes(s)),
    );
    if (index >= 0) {
      mapping[column] = index;
      used.add(index);
    }
  }
  return mapping;
}
