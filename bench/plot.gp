# plot.gp - latency per runtime (median, whiskers min-max) for bench/report.sh.
# gnuplot -e "datafile='...'; outfile='...'" bench/plot.gp
set terminal pngcairo size 1000,520 font ",10" noenhanced
set output outfile
set title "runt vs crun vs runc: latency per container (median, min-max), lower is better"
set style data histogram
set style histogram errorbars gap 1 lw 1
set style fill solid 0.8 border -1
set boxwidth 0.9
set logscale y
set ylabel "ms (log scale)"
set grid ytics
set key top left
set xtics nomirror
set bmargin 4
plot datafile using 2:3:4:xtic(1) title "runt" lc rgb "#2a9d8f", \
     '' using 5:6:7 title "crun" lc rgb "#e9c46a", \
     '' using 8:9:10 title "runc" lc rgb "#e76f51"
