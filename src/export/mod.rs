//! Exports of a finished trace: Chrome/Perfetto trace JSON, the summary JSON and the
//! readable text summary. Files are written atomically (temporary file, then rename).

pub mod chrome;
pub mod chrome_import;
pub mod measure;
pub mod native;
pub mod png;
pub mod slide;
pub mod svg;
pub mod text;

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

/// Writes `path` through `write` into a temporary sibling, then renames it into place, so
/// a failed export never leaves a half-written file (nor destroys an older one).
pub fn write_atomic(
    path: &Path,
    write: impl FnOnce(&mut BufWriter<File>) -> io::Result<()>,
) -> io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let file_name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a file path"))?;
    let tmp = dir.join(format!(
        ".{}.{}.tmp",
        file_name.to_string_lossy(),
        std::process::id()
    ));
    let result = (|| {
        let mut w = BufWriter::new(File::create(&tmp)?);
        write(&mut w)?;
        w.flush()?;
        w.get_ref().sync_all()?;
        drop(w);
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// The summary JSON (`--summary FILE`).
pub fn write_summary(path: &Path, summary: &crate::trace::Summary) -> io::Result<()> {
    write_atomic(path, |w| {
        serde_json::to_writer_pretty(&mut *w, summary)?;
        w.write_all(b"\n")
    })
}

/// Reads a recorded run: a `.ascope` trace file, or a Chrome trace JSON (`.json`) that
/// asyncscope exported. The error says which file and what is wrong with it.
pub fn load_trace(path: &Path) -> Result<crate::trace::Trace, String> {
    let is_json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let result = if is_json {
        chrome_import::load(path).map_err(|e| e.to_string())
    } else {
        native::load(path).map_err(|e| e.to_string())
    };
    result.map_err(|e| format!("{}: {e}", path.display()))
}

/// True for the files [`load_trace`] reads (by extension).
pub fn is_trace_file(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("ascope") || e.eq_ignore_ascii_case("json"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> std::path::PathBuf {
        let dir =
            std::env::temp_dir().join(format!("asyncscope-atomic-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        dir
    }

    fn leftovers(dir: &Path) -> Vec<String> {
        std::fs::read_dir(dir)
            .expect("dir")
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".tmp"))
            .collect()
    }

    #[test]
    fn a_failed_write_keeps_the_old_file_and_leaves_no_temporary() {
        let dir = scratch("fail");
        let path = dir.join("run.json");
        write_atomic(&path, |w| w.write_all(b"old")).expect("first write");
        let err = write_atomic(&path, |w| {
            w.write_all(b"half of the new cont")?;
            Err(io::Error::other("the exporter failed halfway"))
        })
        .expect_err("the writer's error comes back");
        assert_eq!(err.to_string(), "the exporter failed halfway");
        assert_eq!(std::fs::read(&path).expect("read"), b"old");
        assert!(leftovers(&dir).is_empty(), "{:?}", leftovers(&dir));
        write_atomic(&path, |w| w.write_all(b"new")).expect("second write");
        assert_eq!(std::fs::read(&path).expect("read"), b"new");
    }

    #[test]
    fn an_unwritable_path_is_an_error() {
        let err = write_atomic(Path::new("/nonexistent-dir/x.svg"), |w| w.write_all(b"x"))
            .expect_err("no such directory");
        assert_eq!(err.kind(), io::ErrorKind::NotFound);
        // A directory is not a file to write.
        let dir = scratch("dir");
        assert!(write_atomic(&dir, |w| w.write_all(b"x")).is_err());
        assert!(dir.is_dir());
    }
}
