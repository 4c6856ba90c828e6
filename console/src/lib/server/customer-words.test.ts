import { inSentence } from '@aftercare/core';
import { describe, expect, it } from 'vitest';
import {
  comingCoverageWords,
  coverageWords,
  customerTicketTitle,
  healthWords,
  partLabel,
  renewalWords,
  reportedWords,
  responseTime,
} from './customer-words.ts';

const standard = { name: 'Standard care', coversLabour: true, coversParts: true };
const basic = { name: 'Basic care', coversLabour: true, coversParts: false };
const day = 86_400_000;

describe("the customer's words", () => {
  it('names a fitted part by what it is, not by its SKU', () => {
    expect(partLabel('AC-CAP', 'split-ac')).toBe('Run capacitor');
    expect(partLabel('WP-MEMBRANE')).toBe('RO membrane');
    expect(partLabel('XX-UNKNOWN')).toBe('XX-UNKNOWN');
  });

  it('says who paid, with what the plan leaves to the customer', () => {
    const visit = { partsFitted: true, remote: false };
    const noParts = { partsFitted: false, remote: false };
    expect(coverageWords('in_warranty', null, visit).label).toBe('Free under warranty');
    expect(coverageWords('amc', standard, visit)).toMatchObject({
      label: 'Covered by your maintenance contract',
      detail: 'Standard care: parts and labour.',
    });
    expect(coverageWords('amc', basic, visit)).toMatchObject({
      label: 'Labour covered',
      detail: 'Basic care paid the labour; the parts were charged.',
    });
    expect(coverageWords('amc', basic, noParts).detail).toContain('no parts were needed');
    expect(coverageWords('chargeable', standard, noParts).label).toBe('Chargeable');
  });

  it('charges nothing for a fault cleared remotely, whatever the cover: no one came and nothing was fitted', () => {
    const remote = { partsFitted: false, remote: true };
    for (const coverage of ['chargeable', 'amc', 'in_warranty'] as const)
      expect(coverageWords(coverage, basic, remote)).toMatchObject({
        label: 'No charge',
        detail: 'Fixed remotely: no visit and no parts.',
      });
  });

  it('says before a visit who pays for it, and that chargeable work is quoted first, with no price', () => {
    expect(comingCoverageWords('in_warranty', null).label).toBe('Covered by your warranty');
    expect(comingCoverageWords('amc', standard)).toMatchObject({
      label: 'Covered by your maintenance contract',
      detail: 'Standard care pays for parts and labour.',
    });
    expect(comingCoverageWords('amc', basic)).toMatchObject({
      label: 'Labour covered by your maintenance contract',
      detail: 'Basic care pays the labour; parts are charged, and the technician quotes before fitting any.',
    });
    expect(comingCoverageWords('amc', { ...basic, coversLabour: false, coversParts: true }).label).toBe(
      'Parts covered by your maintenance contract',
    );
    const chargeable = comingCoverageWords('chargeable', null);
    expect(`${chargeable.label}: ${chargeable.detail}`).toBe(
      'Chargeable: Not covered by a warranty or contract; the technician quotes before any work.',
    );
    expect(JSON.stringify(chargeable)).not.toMatch(/\d/);
  });

  it("gives a report the office wrote down from a call in the customer's voice, and theirs as they typed it", () => {
    // The demo's history writes its repairs as the office heard them, with its diagnosis in brackets.
    expect(
      reportedWords('Customer reports the split air conditioner stopped working (clogged filter / coil)'),
    ).toBe('The split air conditioner stopped working');
    expect(reportedWords('customer said that it smells of burning')).toBe('It smells of burning');
    expect(reportedWords('Water dripping (only at night)')).toBe('Water dripping (only at night)');
    expect(reportedWords('  The customer service number did not answer ')).toBe(
      'The customer service number did not answer',
    );
  });

  it("names a ticket as the device pages do, never by the planners' failure modes or kinds", () => {
    const predictive = {
      kind: 'predictive',
      title: 'Run capacitor degradation — Split air conditioner',
    } as const;
    expect(customerTicketTitle(predictive, 'Split air conditioner')).toBe(
      'Preventive repair of your split air conditioner',
    );
    expect(
      customerTicketTitle({ kind: 'amc_visit', title: 'AMC maintenance visit' }, 'RO water purifier'),
    ).toBe('Maintenance visit for your RO water purifier');
    expect(
      customerTicketTitle({ kind: 'corrective', title: 'It rattles when it starts' }, 'Refrigerator'),
    ).toBe('It rattles when it starts');
    // A call the office wrote up with the fault found is titled by the fault: the report is the description.
    expect(
      customerTicketTitle(
        {
          kind: 'corrective',
          title: 'Door gasket leak — Refrigerator',
          failureMode: 'door_gasket_leak',
          description: 'Customer reports the refrigerator stopped working (door gasket leak)',
        },
        'Refrigerator',
      ),
    ).toBe('The refrigerator stopped working');
    expect(customerTicketTitle({ kind: 'installation', title: 'Installation' }, null)).toBe(
      'Installation of your device',
    );
  });

  it('says where a renewal stands, and that a contract has ended', () => {
    const now = Date.UTC(2026, 10, 1);
    expect(renewalWords('not_due', now + 90 * day, now)).toMatch(/we will contact you before then/);
    expect(renewalWords('offered', now + 20 * day, now)).toMatch(/^Offered to you: renew before/);
    expect(renewalWords('declined', now + 20 * day, now)).toMatch(/^Not renewing/);
    expect(renewalWords('not_due', now - day, now)).toMatch(/^Ended /);
  });

  it('gives response times in hours, and whole days from two days on', () => {
    expect(responseTime(8)).toBe('8 hours');
    expect(responseTime(24)).toBe('24 hours');
    expect(responseTime(48)).toBe('2 days');
    expect(responseTime(36)).toBe('36 hours');
  });

  it("puts the device's name inside a sentence, keeping its acronyms", () => {
    expect(inSentence('Split air conditioner')).toBe('split air conditioner');
    expect(inSentence('RO water purifier')).toBe('RO water purifier');
  });

  it('does not say "working well" above a repair of the device that is still open', () => {
    expect(healthWords('healthy', 'Split air conditioner', null, 'just now', true)).toMatchObject({
      headline: 'Being seen to',
      tone: 'info',
    });
    // A worse state is still said as it is.
    expect(healthWords('offline', 'Refrigerator', null, '2 h ago', true).headline).toBe('Not connected');
  });

  it('tells the health in plain words, naming the worrying part and never a probability', () => {
    const atRisk = healthWords('at_risk', 'Split air conditioner', 'Run capacitor', '3 min ago');
    expect(atRisk).toMatchObject({ headline: 'Needs attention soon', tone: 'at_risk' });
    expect(atRisk.sentence).toContain('the run capacitor');
    expect(atRisk.sentence).not.toMatch(/%|\d/);
    expect(healthWords('healthy', 'Refrigerator', null, 'just now').sentence).toMatch(
      /^Your refrigerator is working normally/,
    );
    expect(healthWords('offline', 'Refrigerator', null, '2 d ago').sentence).toContain(
      'We last heard from your refrigerator 2 d ago',
    );
  });
});
