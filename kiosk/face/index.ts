// The face area's public surface (kiosk/main wires these in).
export { createFaceEngine } from './engine.ts';
export type { EmbedOutcome, EngineOptions, FaceEngine, RunCheckOptions, VerifyResult } from './engine.ts';
export { openCamera } from './camera.ts';
export type { Camera, CameraDeps, CameraStatus, Capture, Frame } from './camera.ts';
