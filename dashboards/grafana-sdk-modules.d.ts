// tsconfig uses `moduleResolution: node`, which ignores package.json "exports"; @grafana/grafana-foundation-sdk only
// publishes its subpaths (e.g. "/dashboard") through "exports". These declarations map each subpath flota imports to
// its type file (Node resolves the runtime module through "exports" as usual). Remove when tsconfig moves to
// moduleResolution node16/bundler.
declare module '@grafana/grafana-foundation-sdk/cog' {
  export * from '@grafana/grafana-foundation-sdk/dist/cog/index';
}
declare module '@grafana/grafana-foundation-sdk/common' {
  export * from '@grafana/grafana-foundation-sdk/dist/common/index';
}
declare module '@grafana/grafana-foundation-sdk/dashboard' {
  export * from '@grafana/grafana-foundation-sdk/dist/dashboard/index';
}
declare module '@grafana/grafana-foundation-sdk/timeseries' {
  export * from '@grafana/grafana-foundation-sdk/dist/timeseries/index';
}
declare module '@grafana/grafana-foundation-sdk/stat' {
  export * from '@grafana/grafana-foundation-sdk/dist/stat/index';
}
declare module '@grafana/grafana-foundation-sdk/table' {
  export * from '@grafana/grafana-foundation-sdk/dist/table/index';
}
declare module '@grafana/grafana-foundation-sdk/heatmap' {
  export * from '@grafana/grafana-foundation-sdk/dist/heatmap/index';
}
