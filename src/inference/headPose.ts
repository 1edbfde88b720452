// Head pose from MediaPipe's facial transformation matrix (canonical face model → metric camera
// space, OpenGL-style axes: x to the image's right, y up, z towards the camera).
//
// The rotation is decomposed as R = Ry(yaw) · Rx(pitch') · Rz(roll), the usual order for heads: turn,
// then nod, then tilt. Reported conventions, chosen so the numbers read naturally:
//   yaw   > 0  the face turns towards the image's right (the subject's left in an unmirrored video)
//   pitch > 0  the face looks up            (pitch = −pitch', since +x rotation tips the face down)
//   roll  > 0  the head tilts counter-clockwise as the camera sees it
// All in degrees. Any uniform scale in the matrix is divided out first.

export interface HeadPose {
  yaw: number;
  pitch: number;
  roll: number;
}

const DEG = 180 / Math.PI;

/** `m` is a 4×4 matrix in column-major order (element (row r, col c) at m[c * 4 + r]). */
export function headPoseFromMatrix(m: ArrayLike<number>): HeadPose {
  if (m.length !== 16) throw new Error(`expected a 4×4 matrix (16 values), got ${m.length}`);
  const at = (r: number, c: number) => m[c * 4 + r];
  const scale = Math.hypot(at(0, 0), at(1, 0), at(2, 0));
  if (!(scale > 0)) return { yaw: NaN, pitch: NaN, roll: NaN };
  const r = (row: number, col: number) => at(row, col) / scale;
  const sinPitch = Math.max(-1, Math.min(1, -r(1, 2)));
  return {
    yaw: Math.atan2(r(0, 2), r(2, 2)) * DEG,
    pitch: -Math.asin(sinPitch) * DEG,
    roll: Math.atan2(r(1, 0), r(1, 1)) * DEG,
  };
}

/** Inverse of headPoseFromMatrix (rotation only, column-major); used by tests and synthetic data. */
export function matrixFromHeadPose(pose: HeadPose, translation: [number, number, number] = [0, 0, 0]): number[] {
  const y = pose.yaw / DEG, p = -pose.pitch / DEG, z = pose.roll / DEG;
  const cy = Math.cos(y), sy = Math.sin(y), cp = Math.cos(p), sp = Math.sin(p), cr = Math.cos(z), sr = Math.sin(z);
  const rows = [
    [cy * cr + sy * sp * sr, -cy * sr + sy * sp * cr, sy * cp],
    [cp * sr, cp * cr, -sp],
    [-sy * cr + cy * sp * sr, sy * sr + cy * sp * cr, cy * cp],
  ];
  const out = new Array<number>(16).fill(0);
  for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) out[c * 4 + r] = rows[r][c];
  out[12] = translation[0]; out[13] = translation[1]; out[14] = translation[2]; out[15] = 1;
  return out;
}
