qreg q[1];
creg c[2];
if (c == 1e300) x q[0];
