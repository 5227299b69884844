// A QR code drawn as SVG (no image, no script), so a printed record carries its digest in a
// form a phone can read and compare with the file.
import qrcode from 'qrcode-generator';
import { useMemo } from 'react';

export function QrCode({
  text,
  label,
  size = 160,
}: {
  text: string;
  label: string;
  size?: number;
}) {
  const path = useMemo(() => {
    const qr = qrcode(0, 'M');
    qr.addData(text);
    qr.make();
    const count = qr.getModuleCount();
    let d = '';
    for (let r = 0; r < count; r++)
      for (let c = 0; c < count; c++)
        if (qr.isDark(r, c)) d += `M${String(c + 4)} ${String(r + 4)}h1v1h-1z`;
    return { d, count: count + 8 };
  }, [text]);
  return (
    <svg
      className="app-qr"
      viewBox={`0 0 ${String(path.count)} ${String(path.count)}`}
      width={size}
      height={size}
      role="img"
      aria-label={label}
      shapeRendering="crispEdges"
    >
      <rect width={path.count} height={path.count} fill="#fff" />
      <path d={path.d} fill="#000" />
    </svg>
  );
}
