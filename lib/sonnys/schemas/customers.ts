import { z } from 'zod';
import { envelope, pageFields, stringish, text } from './common';

export const CustomerListItemSchema = z.object({
  customerId: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  phoneNumber: text,
  customerNumber: text,
  isActive: z.boolean(),
  /** `YYYY-MM-DD HH:MM:SS`. */
  createdDate: z.string(),
  /** Nullable in production (FACTS §3 Q5). */
  modifiedDate: text,
});
export type CustomerListItem = z.output<typeof CustomerListItemSchema>;

/** Every field nullable; patterns from the spec are not enforced (store data is hand-typed). */
export const AddressSchema = z.object({
  address1: text,
  address2: text,
  city: text,
  state: text,
  country: text,
  postalCode: text,
});
export type Address = z.output<typeof AddressSchema>;

export const CustomerSchema = z.object({
  id: z.string(),
  number: stringish,
  firstName: z.string(),
  lastName: z.string(),
  /** Nullable in production (FACTS §3 Q5). */
  companyName: text,
  loyaltyNumber: text,
  address: AddressSchema.nullish().transform((v) => v ?? null),
  phone: text,
  email: text,
  /** `YYYY-MM-DD`. */
  birthDate: text,
  isActive: z.boolean(),
  allowSms: z.boolean(),
  recurringSmsSignupDate: text,
  loyaltySmsSignupDate: text,
  modifyDate: z.string(),
});
export type Customer = z.output<typeof CustomerSchema>;

export const CustomerListResponseSchema = envelope(z.object({ customers: z.array(CustomerListItemSchema), ...pageFields }));
export const CustomerResponseSchema = envelope(CustomerSchema);
