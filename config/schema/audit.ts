// Config section 'audit': every key has a default; unknown keys fail.
import { z } from 'zod';

export const auditSection = z.strictObject({}).prefault({});
