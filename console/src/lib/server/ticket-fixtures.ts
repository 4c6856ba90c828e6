import type { TicketDetail } from '@aftercare/core';

/**
 * For tests of the customer's pages: who and what of the capacitor repair they tell in its several
 * states (booked, done, closed). Each test adds the times and the status of the state it tells.
 */
export const capacitorRepair = {
  id: 't-1',
  kind: 'predictive',
  priority: 'normal',
  deviceId: 'ac-1',
  customerId: 'cust-1',
  siteId: null,
  title: 'Run capacitor degradation — Split air conditioner',
  description: 'Predicted run capacitor degradation: p=0.95 within 14 days',
  component: 'capacitor',
  failureMode: 'capacitor_degradation',
  requiredSkill: 'electrical',
  evidence: null,
  troubleshootingSteps: [],
  technicianId: 'tech-7',
  technicianName: 'Kavya Iyer',
  coverage: 'amc',
  contractId: 'amc-1',
} satisfies Partial<TicketDetail>;
