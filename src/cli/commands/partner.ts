/** `rotor partner …`: the partner-author kit (new, test, vet, list). */
import type { Command } from 'commander';
import { registerPartnerList } from './partner-list.ts';
import { registerPartnerNew } from './partner-new.ts';
import { registerPartnerTest } from './partner-test.ts';
import { registerPartnerVet } from './partner-vet.ts';

export function registerPartner(program: Command): void {
  const partner = program
    .command('partner')
    .description('Write, test and vet partner plugins; show the vetted catalog.');
  registerPartnerNew(partner);
  registerPartnerTest(partner);
  registerPartnerVet(partner);
  registerPartnerList(partner);
}
