import { useEffect, useId, useRef, useState, type KeyboardEvent, type PointerEvent } from "react";
import { useTranslation } from "react-i18next";
import { UserText } from "@/components/user-text";
import { areaPath, labelStep, linePath, nearestIndex, niceAxis, plotPoints, plotY, type Plot } from "@/features/stats/chart-scale";
import { formatMetric, formatTick, type ChartMetric } from "@/features/stats/stats-format";

export type TrendPoint = { key: string; /** On the x axis */ tick: string; /** In the tooltip */ label: string; value: number };

type TrendChartProps = {
  points: TrendPoint[];
  metric: ChartMetric;
  /** The currency money metrics are in (minor units). */
  currency: string | null;
  ariaLabel: string;
  height?: number;
  testId?: string;
};

/** The width an element has now and whenever it is resized. */
function useWidth<Element extends HTMLElement>() {
  const ref = useRef<Element>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    setWidth(element.clientWidth);
    const observer = new ResizeObserver(([entry]) => setWidth(entry?.contentRect.width ?? 0));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, width] as const;
}

/**
 * A metric over time as a line over a shaded area, with a value axis and labelled days or hours. The
 * pointer (or the arrow keys, once focused) shows a point's value. Tests read `data-values`.
 */
export function TrendChart({ points, metric, currency, ariaLabel, height = 240, testId = "trend-chart" }: TrendChartProps) {
  const { i18n } = useTranslation();
  const language = i18n.language;
  const [ref, measured] = useWidth<HTMLDivElement>();
  const [hovered, setHovered] = useState<number | null>(null);
  const gradient = useId();

  const width = measured || 640;
  const values = points.map((point) => point.value);
  const axis = niceAxis(Math.max(0, ...values));
  const tickLabels = axis.ticks.map((tick) => formatTick(tick, metric, currency, language));
  const left = Math.max(28, ...tickLabels.map((label) => label.length * 7 + 10));
  const plot: Plot = { width, height, top: 12, right: 16, bottom: 28, left };
  const spots = plotPoints(values, axis.max, plot);
  const baseline = height - plot.bottom;
  const step = labelStep(points.length, Math.floor((width - left - plot.right) / 64));
  const shown = hovered !== null ? points[hovered] : undefined;
  const spot = hovered !== null ? spots[hovered] : undefined;

  const pointAt = (event: PointerEvent<SVGSVGElement>) => {
    const box = event.currentTarget.getBoundingClientRect();
    setHovered(spots.length > 0 ? nearestIndex(spots, ((event.clientX - box.left) / box.width) * width) : null);
  };
  const move = (event: KeyboardEvent<HTMLDivElement>) => {
    if (points.length === 0) return;
    const last = points.length - 1;
    const next = event.key === "ArrowRight" ? Math.min(last, (hovered ?? -1) + 1) : event.key === "ArrowLeft" ? Math.max(0, (hovered ?? last + 1) - 1) : null;
    if (next === null) return;
    event.preventDefault();
    setHovered(next);
  };

  return (
    <div
      ref={ref}
      className="relative w-full rounded-md outline-none focus-visible:ring-2 focus-visible:ring-ring/40"
      tabIndex={0}
      onKeyDown={move}
      onBlur={() => setHovered(null)}
      data-testid={testId}
      data-metric={metric}
      data-points={points.length}
      data-values={values.join(",")}
      data-total={values.reduce((sum, value) => sum + value, 0)}
    >
      <svg
        width={width}
        height={height}
        role="img"
        aria-label={ariaLabel}
        className="block overflow-visible text-primary"
        onPointerMove={pointAt}
        onPointerLeave={() => setHovered(null)}
      >
        <defs>
          <linearGradient id={gradient} x1="0" x2="0" y1="0" y2="1">
            <stop offset="0%" stopColor="currentColor" stopOpacity={0.25} />
            <stop offset="100%" stopColor="currentColor" stopOpacity={0.02} />
          </linearGradient>
        </defs>
        {axis.ticks.map((tick, index) => {
          const y = plotY(tick, axis.max, plot);
          return (
            <g key={tick}>
              <line x1={left} x2={width - plot.right} y1={y} y2={y} className="stroke-border" strokeDasharray={tick === 0 ? undefined : "3 3"} />
              <text x={left - 8} y={y} dy="0.32em" textAnchor="end" className="fill-muted-foreground text-[11px] tabular-nums">
                {tickLabels[index]}
              </text>
            </g>
          );
        })}
        {points.map((point, index) =>
          index % step === 0 ? (
            <text key={point.key} x={spots[index]?.x} y={height - 8} textAnchor="middle" className="fill-muted-foreground text-[11px]">
              {point.tick}
            </text>
          ) : null,
        )}
        {spots.length > 0 ? (
          <>
            <path d={areaPath(spots, baseline)} fill={`url(#${gradient})`} />
            <path d={linePath(spots)} fill="none" stroke="currentColor" strokeWidth={2} strokeLinejoin="round" strokeLinecap="round" />
          </>
        ) : null}
        {spots.length <= 31
          ? spots.map((point, index) => (
              <circle key={points[index]?.key} cx={point.x} cy={point.y} r={2.5} className="fill-background stroke-current" strokeWidth={1.5} />
            ))
          : null}
        {spot ? (
          <g pointerEvents="none">
            <line x1={spot.x} x2={spot.x} y1={plot.top} y2={baseline} className="stroke-muted-foreground/50" />
            <circle cx={spot.x} cy={spot.y} r={4.5} className="fill-current stroke-background" strokeWidth={2} />
          </g>
        ) : null}
      </svg>
      {shown && spot ? (
        <div
          className="pointer-events-none absolute z-10 min-w-28 -translate-x-1/2 -translate-y-full rounded-md border bg-popover px-2.5 py-1.5 text-xs shadow-md"
          style={{ left: Math.min(Math.max(spot.x, 60), width - 60), top: Math.max(spot.y - 10, 40) }}
          data-testid={`${testId}-tooltip`}
        >
          <UserText value={shown.label} className="block text-muted-foreground" />
          <div className="font-semibold tabular-nums">{formatMetric(shown.value, metric, currency, language)}</div>
        </div>
      ) : null}
    </div>
  );
}
