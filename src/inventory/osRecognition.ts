// Recognising a device's Windows version from what inventories record — an OS caption such as
// "Microsoft Windows 7 Professional", a version or build such as "6.1.7601", sometimes a
// service pack — as a row of the MS17-010 reference table (checklists/reference/
// windows-ms17-010.yaml), so each device knows its expected updates and minimum srv.sys.
// What cannot be recognised with confidence is left for a person to map by hand.

export interface OsInput {
  caption?: string | undefined;
  version?: string | undefined;
  servicePack?: string | undefined;
}

export interface OsRecognition {
  /** Reference-table row id, or null when the OS is not recognised. */
  row: string | null;
  /** Why: which clue decided it, or what is missing. */
  because: string;
}

/** Build numbers (the third part of 6.1.7601) that name a Windows release. */
const builds: Record<number, { client: string | null; server: string | null; name: string }> = {
  2600: { client: 'windows-xp-sp3-x86', server: null, name: 'Windows XP' },
  3790: {
    client: 'windows-xp-sp2-x64',
    server: 'server-2003-sp2',
    name: 'Windows XP x64 / Server 2003',
  },
  6002: {
    client: 'windows-vista-sp2',
    server: 'server-2008-sp2',
    name: 'Windows Vista / Server 2008 SP2',
  },
  7601: {
    client: 'windows-7-sp1',
    server: 'server-2008-r2-sp1',
    name: 'Windows 7 / Server 2008 R2 SP1',
  },
  9200: { client: 'windows-8', server: 'server-2012', name: 'Windows 8 / Server 2012' },
  9600: { client: 'windows-8-1', server: 'server-2012-r2', name: 'Windows 8.1 / Server 2012 R2' },
  10240: { client: 'windows-10-1507', server: null, name: 'Windows 10 1507' },
  10586: { client: 'windows-10-1511', server: null, name: 'Windows 10 1511' },
  14393: {
    client: 'windows-10-1607',
    server: 'server-2016',
    name: 'Windows 10 1607 / Server 2016',
  },
  15063: { client: 'windows-10-1703', server: null, name: 'Windows 10 1703' },
};

/** Builds of releases that are not in the table (no service pack, or not Windows). */
const unsupportedBuilds: Record<number, string> = {
  2195: 'Windows 2000',
  6000: 'Windows Vista without a service pack',
  6001: 'Windows Vista or Server 2008 with Service Pack 1',
  7600: 'Windows 7 or Server 2008 R2 without Service Pack 1',
};

/**
 * The build number in the ways inventories write it: "6.1.7601" or "10.0.14393.1198" (WMI,
 * SCCM, WSUS), "6.1 (7601)" (Active Directory's OperatingSystemVersion), "Build 7601", or
 * the bare number.
 */
function buildOf(text: string | undefined): number | null {
  if (!text) return null;
  const dotted = /\b(\d+)\.(\d+)\.(\d{4,5})\b/.exec(text);
  if (dotted) return Number(dotted[3]);
  const directory = /\b\d{1,2}\.\d{1,2}\s*\((\d{4,5})\)/.exec(text);
  if (directory) return Number(directory[1]);
  const word = /\bbuild\s*(\d{4,5})\b/i.exec(text);
  if (word) return Number(word[1]);
  return /^\d{4,5}$/.test(text.trim()) ? Number(text.trim()) : null;
}

function servicePackOf(input: OsInput): number | null {
  // Active Directory and WSUS write it into the version or the OS name; WMI and SCCM give it a
  // column of its own ("Service Pack 1", CSDVersion) or a number ("1", ServicePackMajorVersion).
  const own = (input.servicePack ?? '').trim();
  if (/^\d$/.test(own)) return Number(own);
  const text = `${own} ${input.version ?? ''} ${input.caption ?? ''}`;
  const match = /\b(?:service pack|sp)\s*(\d)\b/i.exec(text);
  return match ? Number(match[1]) : null;
}

/** Windows 10 releases by the version name WSUS and SCCM show ("Windows 10 Pro, version 1607"). */
const windows10Releases: Record<string, number> = {
  '1507': 10240,
  '1511': 10586,
  '1607': 14393,
  '1703': 15063,
};

export function recogniseOs(input: OsInput): OsRecognition {
  const caption = (input.caption ?? '').replace(/\s+/g, ' ').trim();
  const lower = caption.toLowerCase();
  if (!caption && !input.version) return { row: null, because: 'no operating system recorded' };
  if (caption && !lower.includes('windows'))
    return { row: null, because: `“${caption}” is not Windows` };
  const release10 = /windows 10\b.*?\b(?:version\s*)?(1507|1511|1607|1703)\b/.exec(lower)?.[1];
  const build =
    buildOf(input.version) ??
    buildOf(caption) ??
    (release10 ? windows10Releases[release10] : null) ??
    null;
  const sp = servicePackOf(input);
  const is64 = /x64|64-bit|64 bit|amd64/i.test(`${caption} ${input.version ?? ''}`);
  const server = /\bserver\b/.test(lower);

  // Embedded and point-of-sale editions first: their captions also say "Windows 7" etc.
  if (/posready 2009|embedded posready|wepos|windows embedded for point of service/.test(lower))
    return { row: 'wes09-posready-2009', because: 'caption names POSReady 2009' };
  if (/posready 7|embedded standard 7|embedded posready 7|wes7/.test(lower))
    return {
      row: 'wes7-posready-7',
      because: 'caption names Windows Embedded Standard 7 or POSReady 7',
    };
  if (/embedded 8\.1 industry|embedded 8\.1/.test(lower))
    return { row: 'embedded-8-1-industry', because: 'caption names Windows Embedded 8.1 Industry' };
  if (/embedded 8 standard|embedded 8\b/.test(lower))
    return { row: 'embedded-8-standard', because: 'caption names Windows Embedded 8 Standard' };
  if (/xp embedded|embedded xp|windows embedded standard 2009/.test(lower))
    return { row: 'windows-xp-embedded-sp3', because: 'caption names Windows XP Embedded' };
  if (/\brt 8\.1\b|windows rt/.test(lower))
    return { row: 'windows-rt-8-1', because: 'caption names Windows RT' };

  if (build !== null && unsupportedBuilds[build])
    return {
      row: null,
      because: `build ${String(build)} is ${unsupportedBuilds[build] ?? ''}, which the MS17-010 table does not cover`,
    };

  const release = build !== null ? builds[build] : undefined;
  if (release) {
    // The build says which release; the caption says client or server.
    if (build === 3790) {
      if (server || lower.includes('2003'))
        return { row: 'server-2003-sp2', because: 'build 3790 with a Server 2003 caption' };
      if (lower.includes('xp'))
        return { row: 'windows-xp-sp2-x64', because: 'build 3790 with a Windows XP caption' };
      return {
        row: null,
        because: 'build 3790 is Windows XP x64 or Server 2003: the caption does not say which',
      };
    }
    if (build === 2600 && is64) return { row: null, because: '64-bit XP has build 3790, not 2600' };
    if (build === 2600 && sp !== null && sp < 3)
      return {
        row: null,
        because: `Windows XP Service Pack ${String(sp)} is not covered; only SP3 had the update`,
      };
    const row = server ? release.server : release.client;
    if (!row)
      return {
        row: null,
        because: `build ${String(build)} does not match a ${server ? 'server' : 'client'} release in the table`,
      };
    if ((build === 6002 || build === 7601) && sp !== null && sp < (build === 6002 ? 2 : 1))
      return {
        row: null,
        because: `the service pack (${String(sp)}) does not match build ${String(build)}`,
      };
    return {
      row,
      because: `build ${String(build)} (${release.name}) with a ${server ? 'server' : 'client'} caption`,
    };
  }

  // No build: fall back on the caption, only where it alone is unambiguous.
  const byCaption: [RegExp, string | ((sp: number | null) => string | null), string][] = [
    [/server 2016/, 'server-2016', 'Server 2016'],
    [/server 2012 r2/, 'server-2012-r2', 'Server 2012 R2'],
    [/server 2012/, 'server-2012', 'Server 2012'],
    [/server 2008 r2/, (s) => (s === 1 ? 'server-2008-r2-sp1' : null), 'Server 2008 R2'],
    [/server 2008/, (s) => (s === 2 ? 'server-2008-sp2' : null), 'Server 2008'],
    [/server 2003/, (s) => (s === 2 ? 'server-2003-sp2' : null), 'Server 2003'],
    [/windows 8\.1/, 'windows-8-1', 'Windows 8.1'],
    [/windows 8\b/, 'windows-8', 'Windows 8'],
    [/windows 7/, (s) => (s === 1 ? 'windows-7-sp1' : null), 'Windows 7'],
    [/windows vista/, (s) => (s === 2 ? 'windows-vista-sp2' : null), 'Windows Vista'],
    [
      /windows xp/,
      (s) =>
        s === 3 && !is64 ? 'windows-xp-sp3-x86' : s === 2 && is64 ? 'windows-xp-sp2-x64' : null,
      'Windows XP',
    ],
  ];
  for (const [pattern, row, name] of byCaption) {
    if (!pattern.test(lower)) continue;
    const id = typeof row === 'function' ? row(sp) : row;
    if (id)
      return {
        row: id,
        because: `caption names ${name}${sp !== null ? ` with Service Pack ${String(sp)}` : ''}`,
      };
    return {
      row: null,
      because: `${name}: the service pack is needed to tell which update applies`,
    };
  }
  if (lower.includes('windows 10'))
    return {
      row: null,
      because: 'Windows 10: the build is needed to tell the release (1507, 1511, 1607 or 1703)',
    };
  return {
    row: null,
    because: `“${caption === '' ? (input.version ?? '') : caption}” is not a Windows version in the table`,
  };
}

/** The key two devices share when their OS text is the same: for mapping unknowns by hand. */
export function osKey(input: OsInput): string {
  return [input.caption ?? '', input.version ?? '', input.servicePack ?? '']
    .map((s) => s.replace(/\s+/g, ' ').trim().toLowerCase())
    .join(' | ');
}
