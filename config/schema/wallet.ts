// Config section 'wallet': every key has a default; unknown keys fail.
import { z } from 'zod';

export const walletSection = z.strictObject({}).prefault({});
