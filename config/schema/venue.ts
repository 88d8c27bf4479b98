// Config section 'venue': every key has a default; unknown keys fail.
import { z } from 'zod';

export const venueSection = z.strictObject({}).prefault({});
