// The reference panel shows, for every value, how sure we are of it and where it comes from
// (title, date, address), and for the table as a whole the sources it was built from; inline
// code renders as code and dates read as people write them. The installed-updates field flags
// each list of updates that do not count as evidence.
import { render, screen, within } from '@testing-library/preact';
import { useForm } from 'react-hook-form';
import { describe, expect, it } from 'vitest';
import { ReferencePanel } from '../../src/ui/components/ReferencePanel.tsx';
import { EvidenceField } from '../../src/ui/fields/EvidenceField.tsx';
import type { FormValues } from '../../src/ui/fields/formValues.ts';
import { shipped } from '../helpers/checklists.ts';

const device = shipped('device-clearance');
const table = device.definition.referenceTables['windows-ms17-010'];
if (!table) throw new Error('no reference table');

function rowOf(id: string) {
  const row = table?.rows.find((r) => r.id === id);
  if (!row) throw new Error(`no row ${id}`);
  return row;
}

function valueCell(label: string): HTMLElement {
  const term = screen.getByText(label, { selector: 'dt' });
  const row = term.closest('.nhsuk-summary-list__row');
  const value = row?.querySelector('dd');
  if (!(value instanceof HTMLElement)) throw new Error(`no value for ${label}`);
  return value;
}

describe('the reference panel', () => {
  it('gives every value its confidence and its sources, with title, date and link', () => {
    render(<ReferencePanel table={table} row={rowOf('windows-7-sp1')} />);
    const srv = valueCell('Minimum patched srv.sys version');
    expect(srv).toHaveTextContent('6.1.7601.23689');
    expect(within(srv).getByText('confirmed')).toBeInTheDocument();
    expect(srv).toHaveTextContent(
      'Source: Microsoft, How to verify that MS17-010 is installed (KB 4023262), May 2017',
    );
    const link = within(srv).getByRole('link', {
      name: /support\.microsoft\.com.*opens in a new tab/,
    });
    expect(link).toHaveAttribute(
      'href',
      'https://support.microsoft.com/en-us/topic/how-to-verify-that-ms17-010-is-installed-f55d3f13-7a9c-688c-260b-477d0ec9f2c8',
    );

    for (const column of table.columns) {
      const cell = valueCell(column.label);
      expect(cell.textContent, column.id).toMatch(/confirmed|reported|unconfirmed/);
      expect(
        within(cell).queryAllByRole('link').length > 0 ||
          cell.textContent.includes('No source: see the note'),
        column.id,
      ).toBe(true);
    }
  });

  it('never calls a value resting on a news copy or a partly read source confirmed', () => {
    render(<ReferencePanel table={table} row={rowOf('windows-vista-sp2')} />);
    const srv = valueCell('Minimum patched srv.sys version');
    // The value's own mark, and its source's.
    expect(within(srv).getAllByText(/^reported/)).toHaveLength(2);
    expect(within(srv).queryByText('confirmed')).toBeNull();
  });

  it('renders inline code in values and notes as code, not backticks', () => {
    render(<ReferencePanel table={table} row={rowOf('windows-7-sp1')} />);
    const method = valueCell('How to disable SMBv1');
    expect(method.textContent).not.toContain('`');
    expect(
      within(method).getByText('sc.exe config mrxsmb10 start= disabled', { selector: 'code' }),
    ).toBeInTheDocument();
  });

  it('lists the sources of the table as a whole, with dates as people write them', () => {
    render(<ReferencePanel table={table} row={rowOf('windows-7-sp1')} />);
    const list = screen.getByRole('list', { name: 'Where this table comes from' });
    const items = within(list).getAllByRole('listitem');
    expect(items).toHaveLength(table.sources.length);
    expect(list).toHaveTextContent(/Microsoft Security Bulletin MS17-010.*, 14 March 2017/);
    expect(list).toHaveTextContent(/Tenable, MS17-010: .*15 March 2017\s*reported/);
    expect(list.textContent).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    for (const item of items) expect(within(item).getByRole('link')).toBeInTheDocument();
  });
});

function KbField({ value }: { value: string }) {
  const field = device.index.fields.get('patch-evidence.installed-kbs');
  if (field?.type !== 'kb-list') throw new Error('no kb-list field');
  const form = useForm<FormValues>({ defaultValues: { [field.id]: value } });
  return (
    <EvidenceField
      field={field}
      register={form.register}
      control={form.control}
      errors={form.formState.errors}
      referenceTables={device.definition.referenceTables}
    />
  );
}

describe('the installed-updates field', () => {
  it('flags an April 2017 security-only update as not evidence, saying the source is secondary', () => {
    render(<KbField value="KB4015546" />);
    const warning = screen.getByRole('status');
    expect(warning).toHaveTextContent('Does not count as evidence');
    expect(warning).toHaveTextContent(
      'KB4015546 is on the list of april 2017 security-only updates, which do not contain the MS17-010 fix',
    );
    expect(warning).toHaveTextContent(/reported/);
  });

  it('flags each list separately, and nothing for an update that carries the fix', () => {
    const { unmount } = render(<KbField value="KB3205409, KB4015547" />);
    expect(screen.getByRole('status').querySelectorAll('p')).toHaveLength(2);
    unmount();
    render(<KbField value="KB4012212" />);
    expect(screen.queryByRole('status')).toBeNull();
  });
});
