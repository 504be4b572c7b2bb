/** Name and contact pools for people in the simulated world. */
import type { Rng } from '@/lib/simulator/random';

export const FIRST_NAMES = [
  'James', 'Mary', 'Robert', 'Patricia', 'John', 'Jennifer', 'Michael', 'Linda', 'David', 'Elizabeth',
  'William', 'Barbara', 'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Charles', 'Karen',
  'Christopher', 'Lisa', 'Daniel', 'Nancy', 'Matthew', 'Betty', 'Anthony', 'Sandra', 'Mark', 'Ashley',
  'Donald', 'Kimberly', 'Steven', 'Emily', 'Andrew', 'Donna', 'Joshua', 'Michelle', 'Kevin', 'Carol',
  'Brian', 'Amanda', 'George', 'Melissa', 'Timothy', 'Deborah', 'Ronald', 'Stephanie', 'Jason', 'Rebecca',
  'Luis', 'Maria', 'Carlos', 'Sofia', 'Juan', 'Camila', 'Miguel', 'Lucia', 'Tyrone', 'Keisha',
] as const;

export const LAST_NAMES = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez',
  'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin',
  'Lee', 'Perez', 'Thompson', 'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson',
  'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Torres', 'Nguyen', 'Hill', 'Flores',
  'Green', 'Adams', 'Nelson', 'Baker', 'Hall', 'Rivera', 'Campbell', 'Mitchell', 'Carter', 'Roberts',
  'Kowalski', 'Novak', 'Murphy', 'OBrien', 'Schmidt', 'Fischer', 'Patel', 'Shah', 'Kim', 'Park',
] as const;

const STREETS = ['Main St', 'Oak Ave', 'Maple Dr', 'Cedar Ln', 'Washington Blvd', 'Lincoln Hwy', 'Elm St', 'Route 59', 'Jefferson St', 'Division St'];

export function personName(rng: Rng): { firstName: string; lastName: string } {
  return { firstName: rng.pick(FIRST_NAMES), lastName: rng.pick(LAST_NAMES) };
}

export function phoneNumber(rng: Rng, areaCodes: readonly string[]): string {
  return `${rng.pick(areaCodes)}${rng.int(2, 9)}${rng.digits(6)}`;
}

export function streetAddress(rng: Rng): string {
  return `${rng.int(10, 9999)} ${rng.pick(STREETS)}`;
}

export function licensePlate(rng: Rng): string {
  const letters = 'ABCDEFGHJKLMNPRSTUVWXYZ';
  let s = '';
  for (let i = 0; i < 3; i++) s += letters[rng.int(0, letters.length - 1)];
  return `${s}${rng.digits(4)}`;
}

/** Area codes and a city per zone, so contact details look local. */
export function localeFor(timezone: string): { areaCodes: string[]; city: string; state: string; zip: string } {
  switch (timezone) {
    case 'America/Denver':
      return { areaCodes: ['303', '720'], city: 'Denver', state: 'CO', zip: '802' };
    case 'America/Phoenix':
      return { areaCodes: ['480', '602'], city: 'Mesa', state: 'AZ', zip: '852' };
    case 'America/Los_Angeles':
      return { areaCodes: ['253', '206'], city: 'Tacoma', state: 'WA', zip: '984' };
    case 'Pacific/Honolulu':
      return { areaCodes: ['808'], city: 'Kapolei', state: 'HI', zip: '967' };
    case 'America/New_York':
      return { areaCodes: ['212', '646'], city: 'New York', state: 'NY', zip: '100' };
    default:
      return { areaCodes: ['815', '630', '779'], city: 'Joliet', state: 'IL', zip: '604' };
  }
}
