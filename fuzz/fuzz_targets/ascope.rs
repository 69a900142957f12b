//! Saved traces: any bytes load or are refused. The checksum would stop almost every
//! mutation at the door, so half of the inputs are framed with a valid one and reach the
//! decoder and the model's checks.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let framed;
    let bytes = match data.split_first() {
        Some((&flag, body)) if flag & 1 == 1 => {
            let mut f = b"ASCOPETR".to_vec();
            f.extend_from_slice(&3u32.to_le_bytes());
            f.extend_from_slice(&(body.len() as u64).to_le_bytes());
            f.extend_from_slice(&crc32fast::hash(body).to_le_bytes());
            f.extend_from_slice(body);
            framed = f;
            &framed[..]
        }
        _ => data,
    };
    if let Ok(t) = asyncscope::export::native::from_bytes(bytes) {
        let _ = asyncscope::trace::Summary::from_trace(&t);
        for i in 0..t.tasks.len() as u32 {
            let _ = t.task_states(i);
        }
    }
});
