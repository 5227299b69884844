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
  'lastLogon',
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
  lastLogon: 'Last logon or last seen',
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
    'managedby',
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
  // Active Directory (LastLogonDate, lastLogonTimestamp), SCCM (Last Logon Timestamp, Last
  // Activity, Last Hardware Scan), WSUS (Last Status Report, Last Sync Time), scanners.
  lastLogon: [
    'lastlogondate',
    'lastlogontimestamp',
    'lastlogon',
    'lastlogontime',
    'lastlogontimestamputc',
    'lastactivetime',
    'lastactivity',
    'lastseen',
    'lastcontact',
    'lastcontacttime',
    'laststatusreport',
    'lastreportedstatustime',
    'lastsynctime',
    'lastsync',
    'lasthardwarescan',
    'lastpolicyrequest',
  ],
};

/**
 * Headings that hold an identifier of the device besides its hostname and asset tag, kept with
 * it so a device without an asset tag can still be identified: AD's objectGUID, SID and
 * distinguished name, SCCM's resource id and SMBIOS GUID, serial numbers.
 */
const identifierHeadings = new Set([
  'serialnumber',
  'serial',
  'serialno',
  'biosserialnumber',
  'systemserialnumber',
  'objectguid',
  'guid',
  'sid',
  'objectsid',
  'resourceid',
  'smbiosguid',
  'uuid',
  'distinguishedname',
  'samaccountname',
  'deviceid',
  'azureaddeviceid',
]);

/** The indexes of the headings that hold other identifiers of the device. */
export function identifierColumns(headings: readonly string[]): number[] {
  return headings.flatMap((h, i) => (identifierHeadings.has(normaliseHeading(h)) ? [i] : []));
}

/**
 * Headings whose names contain a column's word but mean something else (AD's ObjectClass is
 * always "computer", its UserPrincipalName is the machine account): never guessed by containment.
 */
const notByContainment = new Set([
  'objectclass',
  'userprincipalname',
  'distinguishedname',
  'samaccountname',
  'serviceprincipalname',
  'primarygroup',
  'username',
  'lastlogonusername',
]);

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
      (h, i) =>
        !used.has(i) &&
        !notByContainment.has(h) &&
        !identifierHeadings.has(h) &&
        synonyms[column].some((s) => s.length >= 4 && h.includes(s)),
    );
    if (index >= 0) {
      mapping[column] = index;
      used.add(index);
    }
  }
  return mapping;
}
