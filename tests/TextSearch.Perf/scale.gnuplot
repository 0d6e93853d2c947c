# Renders docs/scale.png from the scale table: gnuplot -e "data='tests/TextSearch.Perf/scale.dat'" tests/TextSearch.Perf/scale.gnuplot
# scale.dat columns: documents, ingestion seconds, index MB, search p50 ms, search p99 ms
set terminal pngcairo size 1100,420 font "DejaVu Sans,10"
set output 'docs/scale.png'
set multiplot layout 1,3 title "TextSearch scale curve (embedded engine, 2 cores): SaudiNewsNet expanded to 300k documents"
set logscale x
set xlabel "documents"
set grid
set key top left
set format x "%.0s%c"
set key bottom right
set logscale y
set title "Ingestion through gRPC (log-log)"
set ylabel "seconds"
plot data using 1:2 with linespoints lw 2 pt 7 title "BulkUpsertDocuments", data using 1:($1/2000) with lines dt 2 title "linear, 2,000 docs/s"
set title "Index size on disk (log-log)"
set ylabel "MB"
plot data using 1:3 with linespoints lw 2 pt 7 title "index MB", data using 1:($1*0.0036) with lines dt 2 title "linear, 3.6 KB/doc"
unset logscale y
set key top left
set title "Search RPC latency (snippets included)"
set ylabel "ms"
plot data using 1:4 with linespoints lw 2 pt 7 title "p50", data using 1:5 with linespoints lw 2 pt 5 title "p99"
unset multiplot
