#!/bin/sh
# Fails, listing the lines, when C++ sources under core/ cli/ tests/ bench/ call
# libstdc++'s out-of-line <filesystem> operations. A PyTorch 2.x wheel's
# libtorch exports its own statically linked copy of them; our calls bind to it
# and crash (pytorch/pytorch#133437), so file operations go through
# core/util/files.h (POSIX). Joining and splitting std::filesystem::path stays.
# app/ and widgets/ are Qt and never built against a wheel: not checked.
#
#   check_filesystem_calls.sh SOURCE_DIR
set -eu
cd "${1:?usage: check_filesystem_calls.sh SOURCE_DIR}"

pattern='(fs|std::filesystem)::(remove_all|remove|exists|create_directories|create_directory|create_symlink|copy|copy_file|rename|directory_iterator|recursive_directory_iterator|status|symlink_status|permissions|file_size|absolute|temp_directory_path|read_symlink|relative|is_directory|is_regular_file|is_symlink|is_empty|canonical|weakly_canonical|current_path|equivalent|last_write_time|resize_file|space)\b'

# Exceptions, with why:
#   core/util/files.cpp        the POSIX replacement itself (its comments name what it replaces).
exclude='^core/util/files\.cpp:'

found=$(grep -rnE "$pattern" core cli tests bench \
            --include='*.cpp' --include='*.cc' --include='*.h' --include='*.hpp' | grep -vE "$exclude" || true)
if [ -n "$found" ]; then
    echo "std::filesystem operations found; use core/util/files.h instead (pytorch/pytorch#133437):"
    echo "$found"
    exit 1
fi
echo "no std::filesystem operations in core/ cli/ tests/ bench/"
