// Config section 'devices': every key has a default; unknown keys fail.
import { z } from 'zod';

export const devicesSection = z.strictObject({}).prefault({});
