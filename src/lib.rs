//! asyncscope: run small async scenarios on a real tokio runtime and capture what the
//! scheduler does — every spawn, poll, wake and completion — for timelines and exports.

pub mod asyncio_run;
pub mod capture;
pub mod export;
pub mod fonts;
pub mod i18n;
pub mod lab_server;
pub mod metrics;
pub mod run;
pub mod scenario;
pub mod trace;
pub mod ui;
pub mod view;
